/**
 * What Storage does, whatever the API: uploads (content already streaming to a blob), reads, metadata
 * patches, deletes and listings, each authorized by the rules and followed by its event. Inputs are
 * typed values decoded at the HTTP edge; failures are StorageErrors and leave the store unchanged.
 */
import type { Clock } from "../shared/clock.js";
import { randomToken } from "../shared/ids.js";
import type { BlobWriter } from "./blob.js";
import { objectNotFound, StorageError } from "./errors.js";
import {
  applyCustom,
  applyFields,
  DOWNLOAD_TOKENS_KEY,
  type MetadataPatch,
  type StoredObject,
  writableOf,
} from "./object.js";
import { checkPreconditions, type Preconditions } from "./preconditions.js";
import type { Caller, RulesObject, StorageSecurity } from "./security.js";
import type { ObjectStore } from "./store.js";
import type { StorageTriggers } from "./triggers.js";

export interface UploadTarget {
  caller: Caller;
  bucket: string;
  name: string;
  patch: MetadataPatch;
  /** Content type from the media part or request headers, used when the metadata names none. */
  mediaType?: string | undefined;
  preconditions?: Preconditions;
}

export interface ListRequest {
  caller: Caller;
  bucket: string;
  prefix: string;
  delimiter: string;
  pageToken?: string | undefined;
  maxResults: number;
}

export interface ListResult {
  items: StoredObject[];
  prefixes: string[];
  nextPageToken?: string;
}

const DEFAULT_CONTENT_TYPE = "application/octet-stream";

export const newToken = () => randomToken(16).toString("hex");

function isoOf(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

export class StorageService {
  constructor(
    readonly store: ObjectStore,
    private readonly security: StorageSecurity,
    private readonly triggers: StorageTriggers,
    private readonly clock: Clock,
  ) {}

  /** The object an upload makes, apart from its content and version. */
  private draft(target: UploadTarget, now: number) {
    const fields = applyFields({}, target.patch.fields);
    return {
      ...fields,
      bucket: target.bucket,
      name: target.name,
      contentType: fields.contentType ?? target.mediaType ?? DEFAULT_CONTENT_TYPE,
      metadata: applyCustom({}, target.patch.custom),
      timeCreated: isoOf(now),
      updated: isoOf(now),
    };
  }

  /** Judges an upload before its content arrives, from its declared size (resumable starts). */
  precheck(target: UploadTarget, declaredSize: number | undefined): void {
    const resource = this.store.get(target.bucket, target.name);
    const incoming: RulesObject = this.draft(target, this.clock.now());
    if (declaredSize !== undefined) incoming.size = declaredSize;
    checkPreconditions(target.preconditions ?? {}, resource);
    this.authorizeUpload(target, resource, incoming);
  }

  /** An upload over an existing object is an `update` to the rules, a new one a `create`. */
  private authorizeUpload(target: UploadTarget, resource: StoredObject | null, incoming: RulesObject): void {
    this.security.authorize({
      caller: target.caller,
      method: resource ? "update" : "create",
      bucket: target.bucket,
      name: target.name,
      resource,
      incoming,
    });
  }

  /** Streams `media` into a new blob and stores the object once the rules accept it. */
  async upload(target: UploadTarget, media: AsyncIterable<Uint8Array>): Promise<StoredObject> {
    const { blob, writer } = this.store.newBlob();
    try {
      await writer.append(media);
    } catch (error) {
      await writer.discard();
      throw error;
    }
    return this.finish(target, blob, writer);
  }

  /** Stores an object whose content is complete in `writer`; discards the content when refused. */
  async finish(target: UploadTarget, blob: string, writer: BlobWriter): Promise<StoredObject> {
    try {
      const resource = this.store.get(target.bucket, target.name);
      const now = this.clock.now();
      const object: StoredObject = {
        ...this.draft(target, now),
        ...writer.finish(),
        generation: String(now),
        metageneration: 1,
        blob,
      };
      if (object.metadata[DOWNLOAD_TOKENS_KEY] === undefined)
        object.metadata[DOWNLOAD_TOKENS_KEY] = newToken();
      this.authorizeUpload(target, resource, object);
      await this.store.put(object, true, (current) =>
        checkPreconditions(target.preconditions ?? {}, current),
      );
      this.triggers.emit("google.cloud.storage.object.v1.finalized", object);
      return object;
    } catch (error) {
      await writer.discard();
      throw error;
    }
  }

  /** Metadata of an object the caller may read. */
  get(caller: Caller, bucket: string, name: string): StoredObject {
    const resource = this.store.get(bucket, name);
    this.security.authorize({ caller, method: "get", bucket, name, resource });
    if (!resource) throw objectNotFound(bucket, name);
    return resource;
  }

  /** An object to download: a matching download token bypasses the rules, as in production. */
  forDownload(caller: Caller, bucket: string, name: string, token: string | undefined): StoredObject {
    if (token === undefined) return this.get(caller, bucket, name);
    const resource = this.store.get(bucket, name);
    if (!resource) throw objectNotFound(bucket, name);
    const tokens = resource.metadata[DOWNLOAD_TOKENS_KEY]?.split(",") ?? [];
    if (!tokens.includes(token)) throw new StorageError("permission-denied", "Invalid download token.");
    return resource;
  }

  async update(
    caller: Caller,
    bucket: string,
    name: string,
    patch: MetadataPatch,
    preconditions: Preconditions = {},
  ): Promise<StoredObject> {
    const resource = this.store.get(bucket, name);
    if (!resource) {
      this.security.authorize({ caller, method: "update", bucket, name, resource });
      throw objectNotFound(bucket, name);
    }
    const now = this.clock.now();
    const fields = applyFields(writableOf(resource), patch.fields);
    const updated: StoredObject = {
      ...resource,
      contentDisposition: undefined,
      contentEncoding: undefined,
      contentLanguage: undefined,
      cacheControl: undefined,
      ...fields,
      contentType: fields.contentType ?? DEFAULT_CONTENT_TYPE,
      metadata: applyCustom(resource.metadata, patch.custom),
      metageneration: resource.metageneration + 1,
      updated: isoOf(now),
    };
    for (const key of Object.keys(updated) as Array<keyof StoredObject>) {
      if (updated[key] === undefined) delete updated[key];
    }
    this.security.authorize({ caller, method: "update", bucket, name, resource, incoming: updated });
    await this.store.put(updated, false, (current) => checkPreconditions(preconditions, current));
    this.triggers.emit("google.cloud.storage.object.v1.metadataUpdated", updated);
    return updated;
  }

  async delete(
    caller: Caller,
    bucket: string,
    name: string,
    preconditions: Preconditions = {},
  ): Promise<void> {
    const resource = this.store.get(bucket, name);
    this.security.authorize({ caller, method: "delete", bucket, name, resource });
    if (!resource) throw objectNotFound(bucket, name);
    checkPreconditions(preconditions, resource);
    await this.store.delete(resource);
    this.triggers.emit("google.cloud.storage.object.v1.deleted", resource, isoOf(this.clock.now()));
  }

  /**
   * Objects and (with a delimiter) folder prefixes under `prefix`, in name order and paged together;
   * the page token is the last name returned.
   */
  list(req: ListRequest): ListResult {
    this.security.authorize({
      caller: req.caller,
      method: "list",
      bucket: req.bucket,
      name: req.prefix.replace(/\/+$/, ""),
      resource: null,
    });
    const after = req.pageToken === undefined ? undefined : decodePageToken(req.pageToken);
    const items: StoredObject[] = [];
    const prefixes: string[] = [];
    let last: string | undefined;
    let count = 0;
    for (const object of this.store.list(req.bucket, req.prefix)) {
      let key = object.name;
      let prefix: string | undefined;
      if (req.delimiter) {
        const at = object.name.indexOf(req.delimiter, req.prefix.length);
        if (at >= 0) {
          prefix = object.name.slice(0, at + req.delimiter.length);
          key = prefix;
        }
      }
      if (after !== undefined && key <= after) continue;
      if (key === last) continue;
      if (count === req.maxResults) {
        return { items, prefixes, nextPageToken: encodePageToken(last!) };
      }
      if (prefix !== undefined) prefixes.push(prefix);
      else items.push(object);
      last = key;
      count++;
    }
    return { items, prefixes };
  }

  async reset(): Promise<void> {
    await this.store.clear();
  }
}

const encodePageToken = (name: string) => Buffer.from(name, "utf8").toString("base64url");

function decodePageToken(token: string): string {
  const name = Buffer.from(token, "base64url").toString("utf8");
  if (encodePageToken(name) !== token) throw new StorageError("invalid-argument", "Invalid page token.");
  return name;
}
