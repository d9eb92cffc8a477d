/**
 * Values and documents in Proto3 JSON (what REST, export files and v1 trigger events carry): int64 as
 * strings, timestamps as RFC 3339, bytes as base64, NaN/Infinity as strings. -0 is written as "-0" so
 * its sign survives JSON (normalize.ts reads it back).
 */
import { type DatabaseId, documentName } from "../shared/resource-path.js";
import type { StoredDoc } from "./document.js";
import { microsToRfc3339, toRfc3339 } from "./timestamp.js";
import type { Fields, Value } from "./value.js";

export function toProtoJsonValue(v: Value): unknown {
  if ("nullValue" in v) return { nullValue: null };
  if ("doubleValue" in v) {
    const d = v.doubleValue;
    if (Object.is(d, -0)) return { doubleValue: "-0" };
    return { doubleValue: Number.isFinite(d) ? d : String(d) };
  }
  if ("timestampValue" in v) {
    return {
      timestampValue: toRfc3339({
        seconds: Number(v.timestampValue.seconds),
        nanos: v.timestampValue.nanos ?? 0,
      }),
    };
  }
  if ("bytesValue" in v) return { bytesValue: Buffer.from(v.bytesValue).toString("base64") };
  if ("arrayValue" in v) return { arrayValue: { values: (v.arrayValue.values ?? []).map(toProtoJsonValue) } };
  if ("mapValue" in v) return { mapValue: { fields: toProtoJsonFields(v.mapValue.fields ?? {}) } };
  if ("integerValue" in v) return { integerValue: String(v.integerValue) };
  return v;
}

export function toProtoJsonFields(fields: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = toProtoJsonValue(v);
  return out;
}

export function toProtoJsonDocument(db: DatabaseId, doc: StoredDoc): Record<string, unknown> {
  return {
    name: documentName(db, doc.path),
    fields: toProtoJsonFields(doc.fields),
    createTime: microsToRfc3339(doc.createTime),
    updateTime: microsToRfc3339(doc.updateTime),
  };
}
