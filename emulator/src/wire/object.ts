/**
 * The decoding edge's one untyped shape, and the small readers the decoders in this folder share. A
 * request arrives either as a proto-loader object (gRPC: a oneof's case named in a discriminator field,
 * int64 as strings, bytes as Buffers, wrapper types as `{value}`) or as Proto3 JSON (REST and WebChannel:
 * no discriminators, timestamps as RFC 3339 text, bytes as base64, wrappers as bare values). The readers
 * accept both; each names the field it reads, so a malformed message is refused with INVALID_ARGUMENT
 * saying which field is wrong. Nothing past these decoders sees a WireObject.
 */
import { invalidArgument } from "../shared/errors.js";
import { parseRfc3339, type Timestamp } from "../store/timestamp.js";

/** A protobuf message as it arrives on any transport, before decoding. */
export type WireObject = Record<string, unknown>;

export function isWireObject(value: unknown): value is WireObject {
  return (
    value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function absent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** A message field; absent reads as null. */
export function optionalObject(value: unknown, what: string): WireObject | null {
  if (absent(value)) return null;
  if (!isWireObject(value)) throw invalidArgument(`${what} must be an object.`);
  return value;
}

/** A message field that may be absent (read as an empty message). */
export function readObject(value: unknown, what: string): WireObject {
  return optionalObject(value, what) ?? {};
}

/** A string field; absent reads as "" (proto3's default). */
export function readString(value: unknown, what: string): string {
  if (absent(value)) return "";
  if (typeof value !== "string") throw invalidArgument(`${what} must be a string.`);
  return value;
}

/** A repeated field; absent reads as empty. */
export function readArray(value: unknown, what: string): unknown[] {
  if (absent(value)) return [];
  if (!Array.isArray(value)) throw invalidArgument(`${what} must be a list.`);
  return value;
}

export function readStrings(value: unknown, what: string): string[] {
  return readArray(value, what).map((item, i) => {
    if (typeof item !== "string") throw invalidArgument(`${what}[${i}] must be a string.`);
    return item;
  });
}

/** A bytes field (a Buffer from gRPC, base64 text in JSON); absent or empty reads as null. */
export function readBytes(value: unknown, what: string): Buffer | null {
  if (absent(value)) return null;
  let bytes: Buffer;
  if (value instanceof Uint8Array) bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  else if (typeof value === "string") bytes = Buffer.from(value, "base64");
  else throw invalidArgument(`${what} must be bytes.`);
  return bytes.length > 0 ? bytes : null;
}

/** A `google.protobuf.Timestamp` (`{seconds, nanos}` from gRPC, RFC 3339 text in JSON). */
export function readTimestamp(value: unknown, what: string): Timestamp {
  if (typeof value === "string") return parseRfc3339(value);
  const ts = readObject(value, what);
  const seconds = Number(ts.seconds ?? 0);
  const nanos = Number(ts.nanos ?? 0);
  if (!Number.isFinite(seconds) || !Number.isFinite(nanos))
    throw invalidArgument(`${what} is not a timestamp.`);
  return { seconds, nanos };
}

/** An integer field or wrapper (`{value}` from gRPC, a bare number or string in JSON); absent reads as null. */
export function readInteger(value: unknown, what: string): number | null {
  const inner = isWireObject(value) ? value.value : value;
  if (absent(inner)) return absent(value) ? null : 0;
  const n = typeof inner === "number" || typeof inner === "string" ? Number(inner) : Number.NaN;
  if (!Number.isInteger(n)) throw invalidArgument(`${what} must be an integer.`);
  return n;
}

/**
 * The case a oneof holds: the proto-loader discriminator when present, else the first of `cases` that is
 * set (Proto3 JSON carries only the set member).
 */
export function oneofCase<T extends string>(
  message: WireObject,
  discriminator: string,
  cases: readonly T[],
): T | undefined {
  const named = message[discriminator];
  if (typeof named === "string" && (cases as readonly string[]).includes(named)) return named as T;
  return cases.find((c) => !absent(message[c]));
}
