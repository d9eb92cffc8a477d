import type { RulesError } from "./error.js";

export interface RulesBytes {
  type: "bytes";
  value: Uint8Array;
}
export interface RulesMap {
  type: "map";
  fields: Map<string, RulesValue>;
}
export interface RulesSet {
  type: "set";
  items: RulesValue[];
}
export interface RulesPath {
  type: "path";
  segments: string[];
}
export interface RulesTimestamp {
  type: "timestamp";
  /** Nanoseconds since the Unix epoch. */
  nanos: bigint;
}
export interface RulesDuration {
  type: "duration";
  nanos: bigint;
}
export interface RulesLatLng {
  type: "latlng";
  lat: number;
  lng: number;
}
export interface RulesMapDiff {
  type: "map_diff";
  left: RulesMap;
  right: RulesMap;
}
/**
 * A value only partly known while judging a query: `resource.data` whose fields are known only where the
 * query pins them. `pinned` is keyed by field path segments joined with NUL. A partial whose own key is in
 * `contains` stands for a list; any other partial stands for a map.
 */
export interface RulesPartial {
  type: "partial";
  prefix: string[];
  pinned: Map<string, RulesValue>;
  /** Lists known only to contain these values (array-contains filters), keyed like `pinned`. */
  contains: Map<string, RulesValue[]>;
  /**
   * Fields every result has, keyed like `pinned`: Firestore returns only documents that have each field
   * a query filters or orders on, so `'f' in resource.data` and `keys().hasAll(['f'])` are known.
   */
  present: Set<string>;
  what: string;
}

/** int is bigint, float is number; lists are plain arrays. */
export type RulesValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | RulesValue[]
  | RulesBytes
  | RulesMap
  | RulesSet
  | RulesPath
  | RulesTimestamp
  | RulesDuration
  | RulesLatLng
  | RulesMapDiff
  | RulesPartial;

export type Result = RulesValue | RulesError;

type Tagged = Exclude<RulesValue, null | boolean | bigint | number | string | RulesValue[]>;

/** Narrows to one of the object-shaped value kinds (`map`, `set`, `path`, `timestamp`, ...). */
export function isKind<K extends Tagged["type"]>(
  v: Result | undefined,
  type: K,
): v is Extract<Tagged, { type: K }> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && v.type === type;
}

export function isError(v: Result): v is RulesError {
  return v !== null && typeof v === "object" && !Array.isArray(v) && v.type === "error";
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export function map(entries: Iterable<[string, RulesValue]>): RulesMap {
  return { type: "map", fields: new Map(entries) };
}

export function path(segments: string[]): RulesPath {
  return { type: "path", segments };
}

/** The rules type name of a value, as `is` and error messages use it. */
export function typeName(v: RulesValue): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "string":
      return "string";
  }
  if (Array.isArray(v)) return "list";
  return v.type;
}
