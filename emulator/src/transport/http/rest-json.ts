/**
 * Responses in Proto3 JSON, for REST and WebChannel: the services answer in the proto-loader shape
 * (`{seconds, nanos}` timestamps, Buffers, numeric int64s, NaN doubles), which JSON text cannot carry as
 * is. Requests need no such step: the decoders in wire/ read both forms.
 */
import { toRfc3339 } from "../../store/timestamp.js";

function isTimestamp(value: object): value is { seconds: unknown; nanos: unknown } {
  return Object.keys(value).length === 2 && "seconds" in value && "nanos" in value;
}

export function responseToJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(responseToJson);
  if (!value || typeof value !== "object") return value;
  if (isTimestamp(value)) return toRfc3339({ seconds: Number(value.seconds), nanos: Number(value.nanos) });
  const out: { [key: string]: unknown } = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === "nullValue") out[key] = null;
    else if (key === "doubleValue" && typeof v === "number" && !Number.isFinite(v)) out[key] = String(v);
    else if (key === "integerValue") out[key] = String(v);
    else out[key] = responseToJson(v);
  }
  return out;
}
