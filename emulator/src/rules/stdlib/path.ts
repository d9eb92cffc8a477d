import { rulesError } from "../types/error.js";
import type { Result, RulesPath, RulesValue } from "../types/value.js";
import { type CallContext, entry, isMap, isString, type MethodTable, noOverload } from "./overload.js";

/** Parses `/a/b/c` (leading slash optional) into a path value. */
export function parsePath(text: string): RulesPath {
  return { type: "path", segments: text.split("/").filter((s) => s !== "") };
}

/** path.bind(map): replaces `{name}` segments with the map's values. */
function bind(p: RulesPath, [m]: RulesValue[], ctx: CallContext): Result {
  if (!isMap(m!)) return noOverload(ctx, "bind", [m!]);
  const segments: string[] = [];
  for (const seg of p.segments) {
    const name = /^\{(.+)\}$/.exec(seg)?.[1];
    if (name === undefined) {
      segments.push(seg);
      continue;
    }
    const v = m.fields.get(name);
    if (!isString(v ?? null))
      return rulesError("invalid-argument", `No string binding for '${name}'.`, ctx.span);
    segments.push(v as string);
  }
  return { type: "path", segments };
}

// biome-ignore format: one overload per line reads as a table
export const PATH_METHODS: MethodTable<RulesPath> = {
  size: entry(0, (p) => BigInt(p.segments.length)),
  bind: entry(1, bind),
};
