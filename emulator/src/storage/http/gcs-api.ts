/**
 * The Cloud Storage JSON API subset firebase-admin's `getStorage().bucket()` (@google-cloud/storage)
 * uses: uploads (media, multipart, resumable with Content-Range), object metadata, download, patch,
 * delete and listing. Server APIs: rules do not apply, as with the official emulator. Paths are served
 * with and without the `/storage/v1` prefix, since STORAGE_EMULATOR_HOST replaces the whole base URL.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { invalid, StorageError } from "../errors.js";
import { checkBucketName, checkObjectName, decodeMetadata, type StoredObject } from "../object.js";
import { decodePreconditions } from "../preconditions.js";
import { gcsResource } from "../resource.js";
import type { UploadSession } from "../resumable.js";
import { ADMIN } from "../security.js";
import type { UploadTarget } from "../service.js";
import {
  type ApiDeps,
  header,
  listParams,
  originOf,
  parseObjectPath,
  readJson,
  sendContent,
  sendEmpty,
  sendJson,
} from "./io.js";
import { readOneRequestUpload, readResumableStart } from "./upload-request.js";

const UNSUPPORTED_LIST_PARAMS = ["startOffset", "endOffset", "matchGlob", "includeTrailingDelimiter"];

/** Serves a Cloud Storage JSON API path (leading `/` removed); false when the path is not one. */
export async function gcsApi(
  deps: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
  query: URLSearchParams,
): Promise<boolean> {
  const m = /^(upload\/storage\/v1\/|download\/storage\/v1\/|storage\/v1\/)?(b\/.*)$/.exec(rawPath);
  if (!m) return false;
  const kind = m[1]?.split("/")[0] ?? "storage";
  const bucketOnly = /^b\/([^/]+)$/.exec(m[2]!);
  const method = req.method ?? "GET";
  if (bucketOnly && kind === "storage") {
    if (method !== "GET") throw new StorageError("not-found", `${method} is not served on a bucket.`);
    const name = checkBucketName(decodeURIComponent(bucketOnly[1]!));
    sendJson(res, 200, { kind: "storage#bucket", id: name, name, location: "US", storageClass: "STANDARD" });
    return true;
  }
  const path = parseObjectPath(m[2]!);
  if (!path) return false;
  const bucket = checkBucketName(path.bucket);
  const { service } = deps;
  const origin = originOf(req);
  const send = (o: StoredObject) => sendJson(res, 200, gcsResource(o, origin));

  if (kind === "upload") {
    if (path.name !== undefined)
      throw new StorageError("not-found", "Uploads go to the bucket's object collection.");
    await upload(deps, req, res, bucket, query);
    return true;
  }
  if (path.name === undefined) {
    if (method !== "GET")
      throw new StorageError("not-found", `${method} is not served on a bucket's objects.`);
    // Refused rather than ignored, so a caller never reads a wrong listing as a right one.
    for (const param of UNSUPPORTED_LIST_PARAMS) {
      if (query.has(param))
        throw new StorageError("not-implemented", `The emulator does not support ${param}.`);
    }
    const result = service.list({ caller: ADMIN, bucket, ...listParams(query) });
    sendJson(res, 200, {
      kind: "storage#objects",
      ...(result.prefixes.length > 0 && { prefixes: result.prefixes }),
      ...(result.items.length > 0 && { items: result.items.map((o) => gcsResource(o, origin)) }),
      ...(result.nextPageToken !== undefined && { nextPageToken: result.nextPageToken }),
    });
    return true;
  }
  const name = checkObjectName(path.name);
  switch (method) {
    case "GET":
    case "HEAD": {
      const object = service.get(ADMIN, bucket, name);
      if (kind === "download" || query.get("alt") === "media")
        await sendContent(req, res, service.store, object);
      else send(object);
      return true;
    }
    case "PATCH":
    case "PUT": {
      const patch = decodeMetadata(await readJson(req));
      send(await service.update(ADMIN, bucket, name, patch, decodePreconditions(query)));
      return true;
    }
    case "DELETE":
      await service.delete(ADMIN, bucket, name, decodePreconditions(query));
      sendEmpty(res, 204);
      return true;
  }
  throw new StorageError("not-found", `${method} is not served on an object.`);
}

async function upload(
  deps: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  query: URLSearchParams,
): Promise<void> {
  const origin = originOf(req);
  const uploadId = query.get("upload_id");
  if (uploadId !== null) return continueResumable(deps, req, res, deps.uploads.get(uploadId), origin);
  const type = query.get("uploadType") ?? "media";
  const preconditions = decodePreconditions(query);
  const nameOf = (fromMetadata: string | undefined) =>
    checkObjectName(query.get("name") ?? fromMetadata ?? "");
  if (type === "resumable") {
    const { patch, declaredSize } = await readResumableStart(req, "x-upload-content-length");
    const target: UploadTarget = {
      caller: ADMIN,
      bucket,
      name: nameOf(patch.name),
      patch,
      mediaType: header(req, "x-upload-content-type"),
      preconditions,
    };
    const session = deps.uploads.start(target, declaredSize);
    const location = `${origin}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(target.name)}&upload_id=${session.id}`;
    sendJson(res, 200, {}, { location, "x-guploader-uploadid": session.id });
    return;
  }
  if (type !== "multipart" && type !== "media") throw invalid(`Unknown uploadType "${type}".`);
  const { patch, mediaType, media } = await readOneRequestUpload(req, type === "multipart");
  const target = { caller: ADMIN, bucket, name: nameOf(patch.name), patch, mediaType, preconditions };
  sendJson(res, 200, gcsResource(await deps.service.upload(target, media), origin));
}

// Content-Range: "bytes a-b/total", "bytes a-(star)/total" (the rest of the object), "bytes (star)/total"
// (finalize) or "bytes (star)/(star)" (status), where (star) is an asterisk.
function parseContentRange(value: string | undefined): { start?: number; end?: number; total?: number } {
  if (value === undefined) return { start: 0 };
  const m = /^bytes (?:(\d+)-(\d+|\*)|\*)\/(\d+|\*)$/.exec(value.trim());
  if (!m) throw invalid(`Malformed Content-Range "${value}".`);
  const num = (s: string | undefined) => (s === undefined || s === "*" ? undefined : Number(s));
  return { start: num(m[1]), end: num(m[2]), total: num(m[3]) };
}

async function continueResumable(
  deps: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  session: UploadSession,
  origin: string,
): Promise<void> {
  const range = parseContentRange(header(req, "content-range"));
  if (range.start !== undefined)
    await deps.uploads.append(session, req as AsyncIterable<Buffer>, range.start);
  const received = session.writer.size;
  // A request whose body runs to the end of the object (an open end, or a total now reached) finalizes it.
  const done =
    (range.start !== undefined && range.end === undefined) ||
    (range.total !== undefined && received >= range.total);
  if (range.total !== undefined && received > range.total) {
    throw invalid(`Received ${received} bytes, more than the ${range.total} in Content-Range.`);
  }
  if (!done) {
    sendEmpty(res, 308, received > 0 ? { range: `bytes=0-${received - 1}` } : {});
    return;
  }
  sendJson(res, 200, gcsResource(await deps.uploads.finalize(session), origin));
}
