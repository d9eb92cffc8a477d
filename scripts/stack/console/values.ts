/**
 * Firestore REST values shown and edited as plain JSON. Types JSON cannot tell apart are tagged so an
 * edit saves what was shown: `{"$timestamp": "2026-…Z"}`, `{"$ref": "orgs/a"}`, `{"$geo": [lat, lng]}`,
 * `{"$bytes": "base64"}`, `{"$double": 2}` (a double with no fraction) and `{"$int": "9007199254740993"}`
 * (an integer beyond JavaScript's exact range). Plain numbers are integers when whole, doubles otherwise.
 */
export type FirestoreValue = Record<string, unknown>;
export type Fields = Record<string, FirestoreValue>;
type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class ValueError extends Error {}

export function fromFirestore(value: FirestoreValue, documentsRoot = ""): JsonValue {
  if ("nullValue" in value) return null;
  if ("booleanValue" in value) return value.booleanValue as boolean;
  if ("integerValue" in value) {
    const text = String(value.integerValue);
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : { $int: text };
  }
  if ("doubleValue" in value) {
    const n = Number(value.doubleValue);
    if (!Number.isFinite(n)) return { $double: String(n) };
    return Number.isInteger(n) ? { $double: n } : n;
  }
  if ("stringValue" in value) return value.stringValue as string;
  if ("timestampValue" in value) return { $timestamp: value.timestampValue as string };
  if ("referenceValue" in value) {
    const ref = value.referenceValue as string;
    return { $ref: ref.startsWith(documentsRoot) ? ref.slice(documentsRoot.length) : ref };
  }
  if ("geoPointValue" in value) {
    const geo = value.geoPointValue as { latitude?: number; longitude?: number };
    return { $geo: [geo.latitude ?? 0, geo.longitude ?? 0] };
  }
  if ("bytesValue" in value) return { $bytes: value.bytesValue as string };
  if ("arrayValue" in value) {
    const values = ((value.arrayValue as { values?: FirestoreValue[] }).values ?? []) as FirestoreValue[];
    return values.map((v) => fromFirestore(v, documentsRoot));
  }
  if ("mapValue" in value)
    return fieldsToJson((value.mapValue as { fields?: Fields }).fields ?? {}, documentsRoot);
  throw new ValueError(`unknown Firestore value ${JSON.stringify(value)}`);
}

export function fieldsToJson(fields: Fields, documentsRoot = ""): { [key: string]: JsonValue } {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, fromFirestore(v, documentsRoot)]));
}

function tagged(map: Record<string, unknown>): [string, unknown] | undefined {
  const keys = Object.keys(map);
  return keys.length === 1 && keys[0]!.startsWith("$") ? [keys[0]!, map[keys[0]!]] : undefined;
}

function toFirestore(value: unknown, documentsRoot: string, at: string): FirestoreValue {
  if (value === null) return { nullValue: null };
  if (typeof value === "boolean") return { booleanValue: value };
  if (typeof value === "number") {
    return Number.isInteger(value) ? { integerValue: String(value) } : { doubleValue: value };
  }
  if (typeof value === "string") return { stringValue: value };
  if (Array.isArray(value)) {
    return { arrayValue: { values: value.map((v, i) => toFirestore(v, documentsRoot, `${at}[${i}]`)) } };
  }
  if (typeof value === "object") {
    const tag = tagged(value as Record<string, unknown>);
    if (tag) return fromTag(tag[0], tag[1], documentsRoot, at);
    return { mapValue: { fields: jsonToFields(value as Record<string, unknown>, documentsRoot, at) } };
  }
  throw new ValueError(`${at}: unsupported value`);
}

function fromTag(tag: string, arg: unknown, documentsRoot: string, at: string): FirestoreValue {
  const bad = (what: string) => new ValueError(`${at}: ${tag} needs ${what}`);
  switch (tag) {
    case "$timestamp":
      if (typeof arg !== "string" || Number.isNaN(Date.parse(arg))) throw bad("an ISO date string");
      return { timestampValue: new Date(arg).toISOString() };
    case "$ref":
      if (typeof arg !== "string" || arg.split("/").filter(Boolean).length % 2 !== 0)
        throw bad("a document path such as orgs/acme");
      return { referenceValue: `${documentsRoot}${arg.replace(/^\/+/, "")}` };
    case "$geo":
      if (!Array.isArray(arg) || arg.length !== 2 || !arg.every((n) => typeof n === "number"))
        throw bad("[latitude, longitude]");
      return { geoPointValue: { latitude: arg[0], longitude: arg[1] } };
    case "$bytes":
      if (typeof arg !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(arg)) throw bad("a base64 string");
      return { bytesValue: arg };
    case "$double":
      if (typeof arg === "number") return { doubleValue: arg };
      if (arg === "NaN" || arg === "Infinity" || arg === "-Infinity") return { doubleValue: arg };
      throw bad("a number");
    case "$int":
      if (typeof arg !== "string" || !/^-?\d+$/.test(arg)) throw bad("a string of digits");
      return { integerValue: arg };
    default:
      throw new ValueError(`${at}: unknown tag ${tag} (use $timestamp, $ref, $geo, $bytes, $double or $int)`);
  }
}

export function jsonToFields(json: Record<string, unknown>, documentsRoot = "", at = ""): Fields {
  return Object.fromEntries(
    Object.entries(json).map(([k, v]) => [k, toFirestore(v, documentsRoot, at ? `${at}.${k}` : k)]),
  );
}

/** Parses the text of the document editor: a JSON object, or a ValueError saying what is wrong. */
export function parseDocumentJson(text: string, documentsRoot: string): Fields {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ValueError(`not JSON: ${(err as Error).message}`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json))
    throw new ValueError("a document is a JSON object of fields");
  return jsonToFields(json as Record<string, unknown>, documentsRoot);
}
