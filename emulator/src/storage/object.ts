/**
 * The stored object model, the metadata a client may write, and its decoding from request JSON. Times
 * are RFC 3339 strings and sizes numbers; the two wire shapes (Firebase v0 and Cloud Storage JSON) are
 * rendered in resource.ts.
 */
import { invalid } from "./errors.js";

/** The custom-metadata key holding download tokens, as in production. */
export const DOWNLOAD_TOKENS_KEY = "firebaseStorageDownloadTokens";

export interface WritableFields {
  contentType?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  cacheControl?: string;
}

export interface StoredObject extends WritableFields {
  bucket: string;
  name: string;
  /** Microseconds since the epoch at creation, as a decimal string (Cloud Storage's generations). */
  generation: string;
  metageneration: number;
  size: number;
  md5Hash: string;
  crc32c: string;
  contentType: string;
  /** Custom metadata, including the download tokens. */
  metadata: Record<string, string>;
  timeCreated: string;
  updated: string;
  /** File name of the content in the store's blob folder. */
  blob: string;
}

const WRITABLE = [
  "contentType",
  "contentDisposition",
  "contentEncoding",
  "contentLanguage",
  "cacheControl",
] as const;

/** Metadata sent with an upload or a patch: a null field or custom key removes it. */
export interface MetadataPatch {
  fields: { [K in keyof WritableFields]?: string | null };
  /** Custom metadata changes; `null` for the whole map removes every key. */
  custom?: Record<string, string | null> | null;
  /** The object name, when the metadata names it (uploads). */
  name?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Decodes metadata JSON from a client; unknown read-only fields (size, bucket, …) are ignored. */
export function decodeMetadata(json: unknown): MetadataPatch {
  if (json === undefined || json === null) return { fields: {} };
  if (!isRecord(json)) throw invalid("Object metadata must be a JSON object.");
  const fields: MetadataPatch["fields"] = {};
  for (const key of WRITABLE) {
    const v = json[key];
    if (v === undefined) continue;
    if (v !== null && typeof v !== "string") throw invalid(`Metadata field ${key} must be a string or null.`);
    fields[key] = v;
  }
  const patch: MetadataPatch = { fields };
  const custom = json.metadata;
  if (custom === null) patch.custom = null;
  else if (custom !== undefined) {
    if (!isRecord(custom)) throw invalid("Custom metadata must be an object of strings.");
    patch.custom = {};
    for (const [k, v] of Object.entries(custom)) {
      if (v === null) patch.custom[k] = null;
      else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean")
        patch.custom[k] = String(v);
      else throw invalid(`Custom metadata value for ${k} must be a string or null.`);
    }
  }
  if (json.name !== undefined) {
    if (typeof json.name !== "string") throw invalid("Object name must be a string.");
    patch.name = json.name;
  }
  return patch;
}

/** Custom metadata after a patch. */
export function applyCustom(
  current: Record<string, string>,
  change: MetadataPatch["custom"],
): Record<string, string> {
  if (change === undefined) return current;
  // Removing all custom metadata keeps the download tokens, which clients cannot see as metadata.
  const tokens = current[DOWNLOAD_TOKENS_KEY];
  const base: Record<string, string> = change === null ? {} : { ...current };
  if (change === null && tokens !== undefined) base[DOWNLOAD_TOKENS_KEY] = tokens;
  for (const [k, v] of Object.entries(change ?? {})) {
    if (v === null) delete base[k];
    else base[k] = v;
  }
  return base;
}

/** Writable fields after a patch. */
export function applyFields(current: WritableFields, change: MetadataPatch["fields"]): WritableFields {
  const out: WritableFields = { ...current };
  for (const key of WRITABLE) {
    const v = change[key];
    if (v === undefined) continue;
    if (v === null) delete out[key];
    else out[key] = v;
  }
  return out;
}

export function writableOf(o: StoredObject): WritableFields {
  const out: WritableFields = {};
  for (const key of WRITABLE) if (o[key] !== undefined) out[key] = o[key];
  return out;
}

/** Names as Cloud Storage accepts them: 1–1024 bytes of UTF-8, no CR/LF. */
export function checkObjectName(name: string): string {
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes === 0 || bytes > 1024) throw invalid("Object names must be 1 to 1024 bytes long.");
  if (/[\r\n]/.test(name)) throw invalid("Object names must not contain carriage returns or line feeds.");
  return name;
}

export function checkBucketName(bucket: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,221}$/.test(bucket)) throw invalid(`Invalid bucket name "${bucket}".`);
  return bucket;
}
