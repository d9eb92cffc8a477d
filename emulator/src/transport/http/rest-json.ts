/**
 * Proto3 JSON on the REST side: requests carry timestamps as RFC 3339 text and bytes as base64, while
 * the data-plane services speak the proto-loader shape ({seconds, nanos}, Buffers). Values inside
 * documents need no help here: normalization already accepts their JSON forms.
 */
import { parseRfc3339, toRfc3339 } from "../../store/timestamp.js";

type Raw = Record<string, unknown>;

const TIME_KEYS = new Set(["updateTime", "readTime"]);
const BYTES_KEYS = new Set(["transaction", "resumeToken", "retryTransaction"]);

export function requestFromJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(requestFromJson);
  if (!value || typeof value !== "object") return value;
  const out: Raw = {};
  for (const [key, v] of Object.entries(value as Raw)) {
    if (typeof v === "string" && TIME_KEYS.has(key)) out[key] = parseRfc3339(v);
    else if (typeof v === "string" && BYTES_KEYS.has(key)) out[key] = Buffer.from(v, "base64");
    else out[key] = requestFromJson(v);
  }
  return out;
}

function isTimestamp(value: Raw): boolean {
  const keys = Object.keys(value);
  return keys.length === 2 && "seconds" in value && "nanos" in value;
}

export function responseToJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(responseToJson);
  if (!value || typeof value !== "object") return value;
  const raw = value as Raw;
  if (isTimestamp(raw)) return toRfc3339({ seconds: Number(raw.seconds), nanos: Number(raw.nanos) });
  const out: Raw = {};
  for (const [key, v] of Object.entries(raw)) {
    if (key === "nullValue") out[key] = null;
    else if (key === "doubleValue" && typeof v === "number" && !Number.isFinite(v)) out[key] = String(v);
    else if (key === "integerValue") out[key] = String(v);
    else out[key] = responseToJson(v);
  }
  return out;
}
