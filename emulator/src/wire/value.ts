/**
 * Turns values as they arrive (proto-loader objects with a `valueType` discriminator, or Proto3 JSON from
 * export files and conformance data) into canonical stored values, enforcing Firestore's value rules with
 * its error texts: no nested arrays, bounded nesting, reserved field names, valid ranges.
 */
import { invalidArgument } from "../shared/errors.js";
import { parseDocumentName } from "../shared/resource-path.js";
import { MAX_SECONDS, MIN_SECONDS, parseRfc3339 } from "./timestamp.js";
import type { Fields, Value } from "./value.js";

/** Maps and arrays may nest this deep (a document's top-level fields are depth 1). */
export const MAX_DEPTH = 20;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

type Raw = Record<string, unknown>;

export function normalizeFields(raw: unknown, path = ""): Fields {
  return normalizeMapFields((raw ?? {}) as Raw, path, 1, false);
}

function normalizeMapFields(raw: Raw, path: string, depth: number, inArray: boolean): Fields {
  if (depth > MAX_DEPTH)
    throw invalidArgument(`Property ${path} exceeds the maximum nesting depth of ${MAX_DEPTH}.`);
  const out: Fields = {};
  const isVector = isVectorFields(raw);
  for (const [name, value] of Object.entries(raw)) {
    if (!isVector && /^__.*__$/.test(name)) throw invalidArgument(`field name ${name} is reserved`);
    const childPath = path ? `${path}.${name}` : name;
    out[name] = normalizeAt(value as Raw, childPath, depth, inArray);
  }
  return out;
}

function isVectorFields(raw: Raw): boolean {
  const type = raw.__type__ as Raw | undefined;
  return type !== undefined && type.stringValue === "__vector__";
}

export function normalizeValue(raw: unknown): Value {
  return normalizeAt(raw as Raw, "value", 1, false);
}

function normalizeAt(raw: Raw, path: string, depth: number, inArray: boolean): Value {
  if (raw === null || typeof raw !== "object") throw invalidArgument(`Invalid value for property ${path}.`);
  const kind =
    typeof raw.valueType === "string" ? raw.valueType : Object.keys(raw).find((k) => k.endsWith("Value"));
  switch (kind) {
    case "nullValue":
      return { nullValue: "NULL_VALUE" };
    case "booleanValue":
      return { booleanValue: Boolean(raw.booleanValue) };
    case "integerValue":
      return { integerValue: normalizeInteger(raw.integerValue, path) };
    case "doubleValue":
      return { doubleValue: normalizeDouble(raw.doubleValue) };
    case "timestampValue":
      return { timestampValue: normalizeTimestamp(raw.timestampValue, path) };
    case "stringValue":
      return { stringValue: String(raw.stringValue ?? "") };
    case "bytesValue":
      return { bytesValue: normalizeBytes(raw.bytesValue) };
    case "referenceValue": {
      const name = String(raw.referenceValue ?? "");
      parseDocumentName(name);
      return { referenceValue: name };
    }
    case "geoPointValue":
      return { geoPointValue: normalizeGeo(raw.geoPointValue as Raw, path) };
    case "arrayValue": {
      if (inArray) throw invalidArgument("Nested arrays are not allowed");
      if (depth > MAX_DEPTH)
        throw invalidArgument(`Property ${path} exceeds the maximum nesting depth of ${MAX_DEPTH}.`);
      const values = ((raw.arrayValue as Raw | null)?.values ?? []) as Raw[];
      return { arrayValue: { values: values.map((v) => normalizeAt(v, path, depth + 1, true)) } };
    }
    case "mapValue": {
      const fields = ((raw.mapValue as Raw | null)?.fields ?? {}) as Raw;
      return { mapValue: { fields: normalizeMapFields(fields, path, depth + 1, false) } };
    }
    default:
      throw invalidArgument(`Property ${path} has no value.`);
  }
}

function normalizeInteger(raw: unknown, path: string): string {
  let n: bigint;
  try {
    n = BigInt(raw as string | number);
  } catch {
    throw invalidArgument(`Invalid integer value for property ${path}.`);
  }
  if (n < INT64_MIN || n > INT64_MAX)
    throw invalidArgument(`Integer value for property ${path} is out of range.`);
  return n.toString();
}

function normalizeDouble(raw: unknown): number {
  if (typeof raw === "number") return raw;
  if (raw === "NaN") return Number.NaN;
  if (raw === "Infinity") return Number.POSITIVE_INFINITY;
  if (raw === "-Infinity") return Number.NEGATIVE_INFINITY;
  return Number(raw ?? 0);
}

function normalizeTimestamp(raw: unknown, path: string): { seconds: number; nanos: number } {
  const ts =
    typeof raw === "string"
      ? parseRfc3339(raw)
      : {
          seconds: Number((raw as Raw | null)?.seconds ?? 0),
          nanos: Number((raw as Raw | null)?.nanos ?? 0),
        };
  if (!Number.isInteger(ts.seconds) || ts.seconds < MIN_SECONDS || ts.seconds > MAX_SECONDS) {
    throw invalidArgument(`Timestamp value for property ${path} is out of range.`);
  }
  if (!Number.isInteger(ts.nanos) || ts.nanos < 0 || ts.nanos > 999_999_999) {
    throw invalidArgument(`Timestamp nanos for property ${path} are out of range.`);
  }
  // Firestore stores microseconds; finer digits are dropped.
  return { seconds: ts.seconds, nanos: ts.nanos - (ts.nanos % 1000) };
}

function normalizeBytes(raw: unknown): Buffer {
  if (typeof raw === "string") return Buffer.from(raw, "base64");
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return Buffer.alloc(0);
}

function normalizeGeo(raw: Raw | null, path: string): { latitude: number; longitude: number } {
  const latitude = Number(raw?.latitude ?? 0);
  const longitude = Number(raw?.longitude ?? 0);
  if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
    throw invalidArgument(`Geo point value for property ${path} is out of range.`);
  }
  return { latitude, longitude };
}
