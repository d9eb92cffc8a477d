import type { Result, RulesValue } from "../types/value.js";
import {
  type CallContext,
  entry,
  invalidArgument,
  isString,
  type MethodTable,
  noOverload,
} from "./overload.js";
import { compileRegex } from "./regex.js";

function withRegex(
  ctx: CallContext,
  pattern: RulesValue,
  use: (re: Exclude<ReturnType<typeof compileRegex>, string>) => Result,
): Result {
  if (!isString(pattern)) return noOverload(ctx, "regex", [pattern]);
  const re = compileRegex(pattern);
  return typeof re === "string" ? invalidArgument(ctx, re) : use(re);
}

/** Length in Unicode code points. */
export function stringSize(s: string): bigint {
  let n = 0n;
  for (const _ of s) n++;
  return n;
}

// biome-ignore format: one overload per line reads as a table
export const STRING_METHODS: MethodTable<string> = {
  size:    entry(0, (s) => stringSize(s)),
  lower:   entry(0, (s) => s.toLowerCase()),
  upper:   entry(0, (s) => s.toUpperCase()),
  trim:    entry(0, (s) => s.replace(/^[\s\u0000]+|[\s\u0000]+$/g, "")),
  toUtf8:  entry(0, (s) => ({ type: "bytes", value: new Uint8Array(Buffer.from(s, "utf8")) })),
  matches: entry(1, (s, [re], ctx) => withRegex(ctx, re!, (r) => r.matches(s))),
  split:   entry(1, (s, [re], ctx) => withRegex(ctx, re!, (r) => r.split(s, -1))),
  replace: entry(2, (s, [re, sub], ctx) =>
    isString(sub!) ? withRegex(ctx, re!, (r) => r.matcher(s).replaceAll(sub as string)) : noOverload(ctx, "replace", [re!, sub!])),
};
