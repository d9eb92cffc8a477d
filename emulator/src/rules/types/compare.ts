import type { RulesValue } from "./value.js";

/**
 * Ordering for `<`, `<=`, `>`, `>=`: numbers (int and float mixed), strings, timestamps, durations, bools,
 * and lists lexicographically. undefined when the pair is not comparable; NaN compares as unordered (null).
 */
export function compare(a: RulesValue, b: RulesValue): -1 | 0 | 1 | null | undefined {
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === "bigint" || ta === "number") && (tb === "bigint" || tb === "number")) {
    if (ta === "bigint" && tb === "bigint") return sign((a as bigint) - (b as bigint));
    const x = a as number | bigint;
    const y = b as number | bigint;
    if ((typeof x === "number" && Number.isNaN(x)) || (typeof y === "number" && Number.isNaN(y))) return null;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta === "string" && tb === "string") return compareStrings(a as string, b as string);
  if (ta === "boolean" && tb === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (a === null || b === null || ta !== "object" || tb !== "object") return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return sign(BigInt(a.length - b.length));
  }
  if (Array.isArray(a) || Array.isArray(b)) return undefined;
  const oa = a as Exclude<RulesValue, null | boolean | bigint | number | string | RulesValue[]>;
  const ob = b as typeof oa;
  if (
    (oa.type === "timestamp" && ob.type === "timestamp") ||
    (oa.type === "duration" && ob.type === "duration")
  ) {
    return sign(oa.nanos - ob.nanos);
  }
  return undefined;
}

function sign(d: bigint): -1 | 0 | 1 {
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Code point order, which matches UTF-8 byte order. */
export function compareStrings(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}
