/** The two wire shapes of an object: Firebase Storage v0 (web and mobile SDKs) and Cloud Storage JSON. */
import { DOWNLOAD_TOKENS_KEY, type StoredObject } from "./object.js";

export function etagOf(o: Pick<StoredObject, "generation" | "metageneration">): string {
  return Buffer.from(`${o.generation}/${o.metageneration}`).toString("base64");
}

function optional(o: StoredObject) {
  return {
    ...(o.contentDisposition !== undefined && { contentDisposition: o.contentDisposition }),
    ...(o.contentLanguage !== undefined && { contentLanguage: o.contentLanguage }),
    ...(o.cacheControl !== undefined && { cacheControl: o.cacheControl }),
  };
}

/** Firebase v0: custom metadata without the tokens, which appear as `downloadTokens`. */
export function firebaseResource(o: StoredObject): Record<string, unknown> {
  const { [DOWNLOAD_TOKENS_KEY]: tokens, ...custom } = o.metadata;
  return {
    name: o.name,
    bucket: o.bucket,
    generation: o.generation,
    metageneration: String(o.metageneration),
    contentType: o.contentType,
    timeCreated: o.timeCreated,
    updated: o.updated,
    storageClass: "STANDARD",
    size: String(o.size),
    md5Hash: o.md5Hash,
    crc32c: o.crc32c,
    etag: etagOf(o),
    contentEncoding: o.contentEncoding ?? "identity",
    ...optional(o),
    ...(Object.keys(custom).length > 0 && { metadata: custom }),
    downloadTokens: tokens ?? "",
  };
}

/** Cloud Storage JSON API `storage#object`; `origin` is the emulator's base URL for the links. */
export function gcsResource(o: StoredObject, origin: string): Record<string, unknown> {
  const path = `b/${encodeURIComponent(o.bucket)}/o/${encodeURIComponent(o.name)}`;
  return {
    kind: "storage#object",
    id: `${o.bucket}/${o.name}/${o.generation}`,
    selfLink: `${origin}/storage/v1/${path}`,
    mediaLink: `${origin}/download/storage/v1/${path}?generation=${o.generation}&alt=media`,
    name: o.name,
    bucket: o.bucket,
    generation: o.generation,
    metageneration: String(o.metageneration),
    contentType: o.contentType,
    storageClass: "STANDARD",
    size: String(o.size),
    md5Hash: o.md5Hash,
    crc32c: o.crc32c,
    etag: etagOf(o),
    timeCreated: o.timeCreated,
    updated: o.updated,
    timeStorageClassUpdated: o.timeCreated,
    ...(o.contentEncoding !== undefined && { contentEncoding: o.contentEncoding }),
    ...optional(o),
    ...(Object.keys(o.metadata).length > 0 && { metadata: o.metadata }),
  };
}
