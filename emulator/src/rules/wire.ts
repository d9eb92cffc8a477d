import type { GateDocument, Timestamp, WireFields, WireValue } from "../shared/security.js";
import type { RulesMap, RulesValue } from "./types/value.js";

/** Converts google.firestore.v1.Value wire shapes (and plain JS values) into rules values. */

export function timestampNanos(t: Timestamp): bigint {
  return BigInt(t.seconds) * 1_000_000_000n + BigInt(t.nanos ?? 0);
}

/** `projects/p/databases/d/documents/a/b` → ["databases", "d", "documents", "a", "b"]. */
export function referenceSegments(name: string): string[] {
  const segments = name.split("/").filter((s) => s !== "");
  return segments[0] === "projects" ? segments.slice(2) : segments;
}

export function fromWire(v: WireValue): RulesValue {
  const raw = v as Record<string, unknown>;
  // With a oneof discriminator, only the named field counts (decoders may fill the others with defaults).
  const kind = raw.valueType;
  const w = typeof kind === "string" && kind in raw ? { [kind]: raw[kind] } : raw;
  if ("stringValue" in w) return w.stringValue as string;
  if ("integerValue" in w) return BigInt(w.integerValue as string | number);
  if ("doubleValue" in w) return Number(w.doubleValue);
  if ("booleanValue" in w) return w.booleanValue as boolean;
  if ("mapValue" in w) return fromWireFields((w.mapValue as { fields?: WireFields }).fields ?? {});
  if ("arrayValue" in w) return ((w.arrayValue as { values?: WireValue[] }).values ?? []).map(fromWire);
  if ("timestampValue" in w)
    return { type: "timestamp", nanos: timestampNanos(w.timestampValue as Timestamp) };
  if ("bytesValue" in w) return { type: "bytes", value: toBytes(w.bytesValue) };
  if ("referenceValue" in w) return { type: "path", segments: referenceSegments(w.referenceValue as string) };
  if ("geoPointValue" in w) {
    const g = w.geoPointValue as { latitude?: number; longitude?: number };
    return { type: "latlng", lat: g.latitude ?? 0, lng: g.longitude ?? 0 };
  }
  return null;
}

function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === "string") return new Uint8Array(Buffer.from(v, "base64"));
  return new Uint8Array();
}

export function fromWireFields(fields: WireFields): RulesMap {
  const out = new Map<string, RulesValue>();
  for (const [k, v] of Object.entries(fields)) out.set(k, fromWire(v));
  return { type: "map", fields: out };
}

/** The `resource` shape rules see for a stored document: `__name__`, `id` and `data`. */
export function documentResource(doc: GateDocument, database: string): RulesMap {
  const segments = doc.path.split("/").filter((s) => s !== "");
  return {
    type: "map",
    fields: new Map<string, RulesValue>([
      ["__name__", { type: "path", segments: ["databases", database, "documents", ...segments] }],
      ["id", segments[segments.length - 1] ?? ""],
      ["data", fromWireFields(doc.fields)],
    ]),
  };
}

/** Plain JS (token claims, storage metadata): integral numbers become ints, Dates timestamps. */
export function fromJs(v: unknown): RulesValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case "string":
    case "boolean":
    case "bigint":
      return v;
    case "number":
      return Number.isInteger(v) ? BigInt(v) : v;
  }
  if (Array.isArray(v)) return v.map(fromJs);
  if (v instanceof Date) return { type: "timestamp", nanos: BigInt(v.getTime()) * 1_000_000n };
  if (v instanceof Uint8Array) return { type: "bytes", value: v };
  const out = new Map<string, RulesValue>();
  for (const [k, x] of Object.entries(v as object)) if (x !== undefined) out.set(k, fromJs(x));
  return { type: "map", fields: out };
}
