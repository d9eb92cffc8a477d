/**
 * Firestore values in their wire shape (`google.firestore.v1.Value`), with Firestore's cross-type order
 * and equality. Stored values are canonical (see normalize.ts): integers are decimal strings, doubles are
 * numbers, timestamps carry numeric seconds and microsecond-truncated nanos, bytes are Buffers.
 */

import { compareSegments } from "../shared/resource-path.js";
import type { WireFields, WireValue } from "../shared/security.js";
import { compareUtf8 } from "../shared/utf8.js";

export type Value = WireValue;
export type Fields = WireFields;

export type ValueKind =
  | "null"
  | "boolean"
  | "integer"
  | "double"
  | "timestamp"
  | "string"
  | "bytes"
  | "reference"
  | "geo"
  | "array"
  | "vector"
  | "map";

export function kindOf(v: Value): ValueKind {
  if ("nullValue" in v) return "null";
  if ("booleanValue" in v) return "boolean";
  if ("integerValue" in v) return "integer";
  if ("doubleValue" in v) return "double";
  if ("timestampValue" in v) return "timestamp";
  if ("stringValue" in v) return "string";
  if ("bytesValue" in v) return "bytes";
  if ("referenceValue" in v) return "reference";
  if ("geoPointValue" in v) return "geo";
  if ("arrayValue" in v) return "array";
  return isVector(v) ? "vector" : "map";
}

export function isVector(v: Value): boolean {
  if (!("mapValue" in v)) return false;
  const type = v.mapValue.fields?.__type__;
  return type !== undefined && "stringValue" in type && type.stringValue === "__vector__";
}

const TYPE_ORDER: Record<ValueKind, number> = {
  null: 0,
  boolean: 1,
  integer: 2,
  double: 2,
  timestamp: 3,
  string: 4,
  bytes: 5,
  reference: 6,
  geo: 7,
  array: 8,
  vector: 9,
  map: 10,
};

export function typeOrder(v: Value): number {
  return TYPE_ORDER[kindOf(v)];
}

export function isNumber(v: Value): boolean {
  return "integerValue" in v || "doubleValue" in v;
}

export function isNaNValue(v: Value): boolean {
  return "doubleValue" in v && Number.isNaN(v.doubleValue);
}

export function arrayValues(v: Value): Value[] {
  return "arrayValue" in v ? (v.arrayValue.values ?? []) : [];
}

export function mapFields(v: Value): Fields {
  return "mapValue" in v ? (v.mapValue.fields ?? {}) : {};
}

function cmp(a: number | bigint | string, b: number | bigint | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TWO_63 = 2 ** 63;

function compareIntDouble(i: string, d: number): number {
  if (Number.isNaN(d)) return 1;
  const n = Number(i);
  if (Number.isSafeInteger(n)) return cmp(n, d);
  if (d >= TWO_63) return -1;
  if (d < -TWO_63) return 1;
  const whole = Math.trunc(d);
  const c = cmp(BigInt(i), BigInt(whole));
  if (c !== 0) return c;
  return cmp(0, d - whole);
}

function compareInts(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isSafeInteger(x) && Number.isSafeInteger(y)) return cmp(x, y);
  return cmp(BigInt(a), BigInt(b));
}

function compareDoubles(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return cmp(a, b);
}

export function compareNumbers(a: Value, b: Value): number {
  if ("integerValue" in a) {
    if ("integerValue" in b) return compareInts(String(a.integerValue), String(b.integerValue));
    return compareIntDouble(String(a.integerValue), (b as { doubleValue: number }).doubleValue);
  }
  const da = (a as { doubleValue: number }).doubleValue;
  if ("integerValue" in b) return -compareIntDouble(String(b.integerValue), da);
  return compareDoubles(da, (b as { doubleValue: number }).doubleValue);
}

export function compareTimestamps(
  a: { seconds: string | number; nanos: number },
  b: { seconds: string | number; nanos: number },
): number {
  return cmp(Number(a.seconds), Number(b.seconds)) || cmp(a.nanos ?? 0, b.nanos ?? 0);
}

function referenceSegments(name: string): string[] {
  return name.split("/");
}

function compareMaps(a: Fields, b: Fields): number {
  const ka = Object.keys(a).sort(compareUtf8);
  const kb = Object.keys(b).sort(compareUtf8);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const c = compareUtf8(ka[i]!, kb[i]!) || compareValues(a[ka[i]!]!, b[kb[i]!]!);
    if (c !== 0) return c;
  }
  return cmp(ka.length, kb.length);
}

function compareArrays(a: Value[], b: Value[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return cmp(a.length, b.length);
}

/** Firestore's total order over all values (the order `orderBy` uses). */
export function compareValues(a: Value, b: Value): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  const t = cmp(TYPE_ORDER[ka], TYPE_ORDER[kb]);
  if (t !== 0) return t;
  switch (ka) {
    case "null":
      return 0;
    case "boolean":
      return cmp(
        Number((a as { booleanValue: boolean }).booleanValue),
        Number((b as { booleanValue: boolean }).booleanValue),
      );
    case "integer":
    case "double":
      return compareNumbers(a, b);
    case "timestamp":
      return compareTimestamps(
        (a as { timestampValue: { seconds: number; nanos: number } }).timestampValue,
        (b as { timestampValue: { seconds: number; nanos: number } }).timestampValue,
      );
    case "string":
      return compareUtf8(
        (a as { stringValue: string }).stringValue,
        (b as { stringValue: string }).stringValue,
      );
    case "bytes":
      return Buffer.compare(
        (a as { bytesValue: Uint8Array }).bytesValue,
        (b as { bytesValue: Uint8Array }).bytesValue,
      );
    case "reference":
      return compareSegments(
        referenceSegments((a as { referenceValue: string }).referenceValue),
        referenceSegments((b as { referenceValue: string }).referenceValue),
      );
    case "geo": {
      const ga = (a as { geoPointValue: { latitude: number; longitude: number } }).geoPointValue;
      const gb = (b as { geoPointValue: { latitude: number; longitude: number } }).geoPointValue;
      return (
        compareDoubles(ga.latitude ?? 0, gb.latitude ?? 0) ||
        compareDoubles(ga.longitude ?? 0, gb.longitude ?? 0)
      );
    }
    case "array":
      return compareArrays(arrayValues(a), arrayValues(b));
    case "vector": {
      const va = arrayValues(mapFields(a).value ?? { arrayValue: {} });
      const vb = arrayValues(mapFields(b).value ?? { arrayValue: {} });
      return cmp(va.length, vb.length) || compareArrays(va, vb);
    }
    case "map":
      return compareMaps(mapFields(a), mapFields(b));
  }
}

/** Query equality: numbers compare by value (1 == 1.0, -0 == 0), NaN equals NaN. */
export function valuesEqual(a: Value, b: Value): boolean {
  return compareValues(a, b) === 0;
}

/**
 * Exact identity, used to decide whether a write changed a document: unlike query equality it tells
 * 1 from 1.0 and -0.0 from 0.0, and it respects map field order.
 */
export function valuesIdentical(a: Value, b: Value): boolean {
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  switch (ka) {
    case "double": {
      const x = (a as { doubleValue: number }).doubleValue;
      const y = (b as { doubleValue: number }).doubleValue;
      return Object.is(x, y);
    }
    case "integer":
      return (
        String((a as { integerValue: string }).integerValue) ===
        String((b as { integerValue: string }).integerValue)
      );
    case "array": {
      const x = arrayValues(a);
      const y = arrayValues(b);
      return x.length === y.length && x.every((v, i) => valuesIdentical(v, y[i]!));
    }
    case "map":
    case "vector":
      return fieldsIdentical(mapFields(a), mapFields(b));
    default:
      return compareValues(a, b) === 0;
  }
}

export function fieldsIdentical(a: Fields, b: Fields): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !valuesIdentical(a[ka[i]!]!, b[kb[i]!]!)) return false;
  }
  return true;
}
