import { equals } from "../types/equals.js";
import { unknownInQuery } from "../types/error.js";
import type { Result, RulesMap, RulesMapDiff, RulesValue } from "../types/value.js";
import { type CallContext, entry, isMap, isString, type MethodTable, noOverload } from "./overload.js";

/** map.get(key, default): key is a string or a list of strings walking nested maps. */
function get(m: RulesMap, [key, fallback]: RulesValue[], ctx: CallContext): Result {
  const keys = Array.isArray(key) ? key : [key!];
  if (!keys.every(isString)) return noOverload(ctx, "get", [key!, fallback!]);
  let cur: RulesValue = m;
  for (const k of keys) {
    if (!isMap(cur) || !cur.fields.has(k)) return fallback!;
    cur = cur.fields.get(k)!;
  }
  return cur;
}

function keyDiff(
  d: RulesMapDiff,
  pick: (inLeft: boolean, inRight: boolean, same: boolean) => boolean,
  ctx: CallContext,
): Result {
  const keys = new Set([...d.left.fields.keys(), ...d.right.fields.keys()]);
  const items: RulesValue[] = [];
  for (const k of keys) {
    const inLeft = d.left.fields.has(k);
    const inRight = d.right.fields.has(k);
    let same = false;
    if (inLeft && inRight) {
      const r = equals(d.left.fields.get(k)!, d.right.fields.get(k)!);
      if (r === "unknown") return unknownInQuery(ctx.span);
      same = r;
    }
    if (pick(inLeft, inRight, same)) items.push(k);
  }
  return { type: "set", items };
}

// biome-ignore format: one overload per line reads as a table
export const MAP_METHODS: MethodTable<RulesMap> = {
  size:   entry(0, (m) => BigInt(m.fields.size)),
  keys:   entry(0, (m) => [...m.fields.keys()]),
  values: entry(0, (m) => [...m.fields.values()]),
  get:    entry(2, get),
  diff:   entry(1, (m, [o], ctx) => (isMap(o!) ? { type: "map_diff", left: m, right: o } : noOverload(ctx, "diff", [o!]))),
};

// biome-ignore format: one overload per line reads as a table
export const MAP_DIFF_METHODS: MethodTable<RulesMapDiff> = {
  addedKeys:     entry(0, (d, _, c) => keyDiff(d, (l, r) => !l && r, c)),
  removedKeys:   entry(0, (d, _, c) => keyDiff(d, (l, r) => l && !r, c)),
  changedKeys:   entry(0, (d, _, c) => keyDiff(d, (l, r, same) => l && r && !same, c)),
  affectedKeys:  entry(0, (d, _, c) => keyDiff(d, (l, r, same) => !(l && r && same), c)),
  unchangedKeys: entry(0, (d, _, c) => keyDiff(d, (l, r, same) => l && r && same, c)),
};
