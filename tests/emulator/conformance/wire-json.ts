/** Turns the recordings' Proto3 JSON values into request objects for the raw gRPC client. */
import type { WireObject as Raw } from "../../../emulator/src/wire/object.js";

export function rfc3339ToWire(text: string): { seconds: number; nanos: number } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) throw new Error(`bad timestamp ${text}`);
  return { seconds: Date.parse(`${m[1]}${m[3]}`) / 1000, nanos: Number((m[2] ?? "").padEnd(9, "0")) };
}

export function jsonToWire(value: Raw): Raw {
  if ("nullValue" in value) return { nullValue: "NULL_VALUE" };
  if (typeof value.timestampValue === "string")
    return { timestampValue: rfc3339ToWire(value.timestampValue) };
  if (value.arrayValue) {
    const values = ((value.arrayValue as Raw).values as Raw[] | undefined) ?? [];
    return { arrayValue: { values: values.map(jsonToWire) } };
  }
  if (value.mapValue) {
    const fields = ((value.mapValue as Raw).fields as Record<string, Raw> | undefined) ?? {};
    return {
      mapValue: { fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, jsonToWire(v)])) },
    };
  }
  return value;
}
