import { contains, distinct } from "../types/equals.js";
import { rulesError, unknownInQuery } from "../types/error.js";
import type { Result, RulesValue } from "../types/value.js";
import {
  type CallContext,
  entry,
  isList,
  isString,
  itemsOf,
  type MethodTable,
  noOverload,
} from "./overload.js";

/** hasAll/hasAny/hasOnly over a list or set receiver, shared by list.ts and set.ts. */
export function membership(kind: "hasAll" | "hasAny" | "hasOnly") {
  return (items: RulesValue[], [arg]: RulesValue[], ctx: CallContext): Result => {
    const other = itemsOf(arg!);
    if (!other) return noOverload(ctx, kind, [arg!]);
    const unknown = unknownInQuery(ctx.span);
    const test = (from: RulesValue[], x: RulesValue): boolean | "unknown" => contains(from, x);
    if (kind === "hasAny") {
      let sawUnknown = false;
      for (const x of other) {
        const r = test(items, x);
        if (r === true) return true;
        if (r === "unknown") sawUnknown = true;
      }
      return sawUnknown ? unknown : false;
    }
    const [outer, inner] = kind === "hasAll" ? [other, items] : [items, other];
    for (const x of outer) {
      const r = test(inner, x);
      if (r === "unknown") return unknown;
      if (!r) return false;
    }
    return true;
  };
}

function slice(list: RulesValue[], from: RulesValue, to: RulesValue, ctx: CallContext): Result {
  if (typeof from !== "bigint" || typeof to !== "bigint") return noOverload(ctx, "range", [from, to]);
  if (from < 0n || to > BigInt(list.length) || from > to) {
    return rulesError(
      "index-out-of-range",
      `Range [${from}:${to}] is out of bounds for a list of size ${list.length}.`,
      ctx.span,
    );
  }
  return list.slice(Number(from), Number(to));
}

// biome-ignore format: one overload per line reads as a table
export const LIST_METHODS: MethodTable<RulesValue[]> = {
  size:      entry(0, (l) => BigInt(l.length)),
  hasAll:    entry(1, membership("hasAll")),
  hasAny:    entry(1, membership("hasAny")),
  hasOnly:   entry(1, membership("hasOnly")),
  toSet:     entry(0, (l) => ({ type: "set", items: distinct(l) })),
  concat:    entry(1, (l, [o], ctx) => (isList(o!) ? [...l, ...o] : noOverload(ctx, "concat", [o!]))),
  removeAll: entry(1, (l, [o], ctx) => (isList(o!) ? l.filter((x) => contains(o, x) !== true) : noOverload(ctx, "removeAll", [o!]))),
  join:      entry([0, 1], (l, [sep], ctx) =>
    (sep === undefined || isString(sep)) && l.every(isString)
      ? l.join(sep ?? "")
      : noOverload(ctx, "join", sep === undefined ? [] : [sep])),
  range:     entry(2, (l, [a, b], ctx) => slice(l, a!, b!, ctx)),
};
