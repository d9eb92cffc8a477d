/**
 * Decodes values as they arrive (proto-loader objects with a `valueType` discriminator, or Proto3 JSON from
 * REST, WebChannel and export files) into canonical stored values, enforcing Firestore's value rules with
 * its error texts: no nested arrays, bounded nesting, reserved field names, valid ranges.
 */
import { invalidArgument } from "../shared/errors.js";
import { parseDocumentName } from "../shared/resource-path.js";
import { MAX_SECONDS, MIN_SECONDS, parseRfc3339 } from "../store/timestamp.js";
import type { Fields, Value } from "../store/value.js";
import { isWireObject, readArray, readObject, type WireObject } from "./object.js";

/** Maps and arrays may nest this deep (a document's top-level fields are depth 1). */
export const MAX_DEPTH = 20;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A document's (or map's) `fields`; absent reads as no fields. */
export function decodeFields(raw: unknown, path = ""): Fields {
  if (raw === undefined || raw === null) return {};
  if (!isWireObject(raw)) throw invalidArgument(`The fields of ${path || "a document"} must be a map.`);
  return normalizeMapFields(raw, path, 1, false);
}

function normalizeMapFields(raw: WireObject, path: string, depth: number, inArray: boolean): Fields {
  if (depth > MAX_DEPTH)
    throw invalidArgument(`Property ${path} exceeds the maximum nesting depth of ${MAX_DEPTH}.`);
  const out: Fields = {};
  const isVector = isVectorFields(raw);
  for (const [name, value] of Object.entries(raw)) {
    if (!isVector && /^__.*__$/.test(name)) throw invalidArgument(`field name ${name} is reserved`);
    const childPath = path ? `${path}.${name}` : name;
    out[name] = normalizeAt(value, childPath, depth, inArray);
  }
  return out;
}

function isVectorFields(raw: WireObject): boolean {
  const type = raw.__type__;
  return isWireObject(type) && type.stringValue === "__vector__";
}

export function decodeValue(raw: unknown, path = "value"): Value {
  return normalizeAt(raw, path, 1, false);
}

function normalizeAt(raw: unknown, path: string, depth: number, inArray: boolean): Value {
  if (!isWireObject(raw)) throw invalidArgument(`Invalid value for property ${path}.`);
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
      return { geoPointValue: normalizeGeo(readObject(raw.geoPointValue, `Property ${path}`), path) };
    case "arrayValue": {
      if (inArray) throw invalidArgument("Nested arrays are not allowed");
      if (depth > MAX_DEPTH)
        throw invalidArgument(`Property ${path} exceeds the maximum nesting depth of ${MAX_DEPTH}.`);
      const values = readArray(readObject(raw.arrayValue, `Property ${path}`).values, `Property ${path}`);
      return { arrayValue: { values: values.map((v) => normalizeAt(v, path, depth + 1, true)) } };
    }
    case "mapValue": {
      const fields = readObject(readObject(raw.mapValue, `Property ${path}`).fields, `Property ${path}`);
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
  let ts: { seconds: number; nanos: number };
  if (typeof raw === "string") ts = parseRfc3339(raw);
  else {
    const object = readObject(raw, `Property ${path}`);
    ts = { seconds: Number(object.seconds ?? 0), nanos: Number(object.nanos ?? 0) };
  }
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

function normalizeGeo(raw: WireObject, path: string): { latitude: number; longitude: number } {
  const latitude = Number(raw.latitude ?? 0);
  const longitude = Number(raw.longitude ?? 0);
  if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
    throw invalidArgument(`Geo point value for property ${path} is out of range.`);
  }
  return { latitude, longitude };
}
