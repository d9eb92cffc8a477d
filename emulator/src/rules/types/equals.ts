import { isKind, type RulesValue } from "./value.js";

/** Deep equality with the rules' numeric semantics (1 == 1.0). "unknown" when a side is only partly known. */
export function equals(a: RulesValue, b: RulesValue): boolean | "unknown" {
  if (a === b) return typeof a !== "number" || !Number.isNaN(a);
  // A partly known value is always a map, so it never equals null.
  if (a === null || b === null) return false;
  if (typeof a === "bigint" && typeof b === "number") return numEq(a, b);
  if (typeof a === "number" && typeof b === "bigint") return numEq(b, a);
  if (typeof a !== "object" || typeof b !== "object") {
    return isPartial(a) || isPartial(b) ? "unknown" : false;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return isPartial(a) || isPartial(b) ? "unknown" : false;
    if (a.length !== b.length) return false;
    let unknown = false;
    for (let i = 0; i < a.length; i++) {
      const r = equals(a[i]!, b[i]!);
      if (r === false) return false;
      if (r === "unknown") unknown = true;
    }
    return unknown ? "unknown" : true;
  }
  if (a.type === "partial" || b.type === "partial") return "unknown";
  if (a.type !== b.type) return false;
  switch (a.type) {
    case "bytes": {
      const bv = (b as typeof a).value;
      return a.value.length === bv.length && a.value.every((x, i) => x === bv[i]);
    }
    case "map": {
      const bf = (b as typeof a).fields;
      if (a.fields.size !== bf.size) return false;
      let unknown = false;
      for (const [k, v] of a.fields) {
        if (!bf.has(k)) return false;
        const r = equals(v, bf.get(k)!);
        if (r === false) return false;
        if (r === "unknown") unknown = true;
      }
      return unknown ? "unknown" : true;
    }
    case "set": {
      const bi = (b as typeof a).items;
      if (a.items.length !== bi.length) return false;
      return a.items.every((x) => bi.some((y) => equals(x, y) === true));
    }
    case "path": {
      const bs = (b as typeof a).segments;
      return a.segments.length === bs.length && a.segments.every((s, i) => s === bs[i]);
    }
    case "timestamp":
    case "duration":
      return a.nanos === (b as typeof a).nanos;
    case "latlng":
      return a.lat === (b as typeof a).lat && a.lng === (b as typeof a).lng;
    case "map_diff":
      return false;
  }
}

function numEq(i: bigint, f: number): boolean {
  return Number.isInteger(f) && BigInt(f) === i;
}

const isPartial = (v: RulesValue): boolean => isKind(v, "partial");

/** Membership test used by `in`, sets and list helpers. */
export function contains(items: RulesValue[], x: RulesValue): boolean | "unknown" {
  let unknown = false;
  for (const item of items) {
    const r = equals(item, x);
    if (r === true) return true;
    if (r === "unknown") unknown = true;
  }
  return unknown ? "unknown" : false;
}

/** Distinct items in first-seen order. */
export function distinct(items: RulesValue[]): RulesValue[] {
  const out: RulesValue[] = [];
  for (const x of items) if (contains(out, x) !== true) out.push(x);
  return out;
}
