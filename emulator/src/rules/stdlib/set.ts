import { contains, distinct } from "../types/equals.js";
import type { RulesSet } from "../types/value.js";
import { membership } from "./list.js";
import { entry, itemsOf, type MethodTable, noOverload } from "./overload.js";

const set = (items: RulesSet["items"]): RulesSet => ({ type: "set", items: distinct(items) });

// biome-ignore format: one overload per line reads as a table
export const SET_METHODS: MethodTable<RulesSet> = {
  size:         entry(0, (s) => BigInt(s.items.length)),
  hasAll:       entry(1, (s, a, c) => membership("hasAll")(s.items, a, c)),
  hasAny:       entry(1, (s, a, c) => membership("hasAny")(s.items, a, c)),
  hasOnly:      entry(1, (s, a, c) => membership("hasOnly")(s.items, a, c)),
  union:        entry(1, (s, [o], c) => { const b = itemsOf(o!); return b ? set([...s.items, ...b]) : noOverload(c, "union", [o!]); }),
  intersection: entry(1, (s, [o], c) => { const b = itemsOf(o!); return b ? set(s.items.filter((x) => contains(b, x) === true)) : noOverload(c, "intersection", [o!]); }),
  difference:   entry(1, (s, [o], c) => { const b = itemsOf(o!); return b ? set(s.items.filter((x) => contains(b, x) !== true)) : noOverload(c, "difference", [o!]); }),
};
