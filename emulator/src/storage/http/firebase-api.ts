/**
 * The Firebase Storage REST API (`/v0/b/{bucket}/o…`) the web and mobile SDKs use: multipart, raw and
 * resumable (X-Goog-Upload-*) uploads, downloads with download tokens, metadata, listing and delete.
 * Callers are the `Authorization: Firebase <ID token>` user (rules apply) or the `owner` token.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { decodeToken } from "../../auth/token.js";
import { invalid, StorageError } from "../errors.js";
import { boundaryOf } from "../multipart.js";
import { checkBucketName, checkObjectName, decodeMetadata } from "../object.js";
import { firebaseResource } from "../resource.js";
import type { UploadSession } from "../resumable.js";
import { ADMIN, type Caller } from "../security.js";
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

/** `Firebase <ID token>` (or `Bearer`): decoded, unverified, as rules' request.auth; `owner` skips rules. */
function callerOf(req: IncomingMessage): Caller {
  const m = /^(?:Firebase|Bearer)\s+(.+)$/i.exec(header(req, "authorization")?.trim() ?? "");
  if (!m) return { admin: false, auth: null };
  const token = m[1]!.trim();
  return token === "owner" ? ADMIN : { admin: false, auth: decodeToken(token) };
}

/** Serves `/v0/…`; `rest` is the raw path after `/v0/`. */
export async function firebaseApi(
  deps: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  rest: string,
  query: URLSearchParams,
): Promise<void> {
  const path = parseObjectPath(rest);
  if (!path) throw new StorageError("not-found", `No Firebase Storage route for /v0/${rest}.`);
  const bucket = checkBucketName(path.bucket);
  const caller = callerOf(req);
  const { service } = deps;
  const method = req.method ?? "GET";

  if (method === "POST") return upload(deps, req, res, bucket, path.name, query, caller);
  if (path.name === undefined) {
    if (method !== "GET") throw new StorageError("not-found", `${method} is not served on a bucket.`);
    const result = service.list({ caller, bucket, ...listParams(query) });
    sendJson(res, 200, {
      prefixes: result.prefixes,
      items: result.items.map((o) => ({ name: o.name, bucket: o.bucket })),
      ...(result.nextPageToken !== undefined && { nextPageToken: result.nextPageToken }),
    });
    return;
  }
  const name = checkObjectName(path.name);
  switch (method) {
    case "GET":
    case "HEAD": {
      if (query.get("alt") === "media") {
        const object = service.forDownload(caller, bucket, name, query.get("token") ?? undefined);
        await sendContent(req, res, service.store, object);
        return;
      }
      sendJson(res, 200, firebaseResource(service.get(caller, bucket, name)));
      return;
    }
    case "PATCH":
    case "PUT": {
      const patch = decodeMetadata(await readJson(req));
      sendJson(res, 200, firebaseResource(await service.update(caller, bucket, name, patch)));
      return;
    }
    case "DELETE":
      await service.delete(caller, bucket, name);
      sendEmpty(res, 204);
      return;
  }
  throw new StorageError("not-found", `${method} is not served on an object.`);
}

async function upload(
  deps: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  pathName: string | undefined,
  query: URLSearchParams,
  caller: Caller,
): Promise<void> {
  const uploadId = query.get("upload_id");
  if (uploadId !== null) return continueResumable(deps, req, res, deps.uploads.get(uploadId));
  const protocol = header(req, "x-goog-upload-protocol")?.toLowerCase();
  const nameOf = (fromMetadata: string | undefined) =>
    checkObjectName(query.get("name") ?? pathName ?? fromMetadata ?? "");

  if (protocol === "resumable") {
    if (header(req, "x-goog-upload-command")?.toLowerCase() !== "start") {
      throw invalid("A resumable upload starts with X-Goog-Upload-Command: start.");
    }
    const { patch, declaredSize } = await readResumableStart(req, "x-goog-upload-header-content-length");
    const target: UploadTarget = {
      caller,
      bucket,
      name: nameOf(patch.name),
      patch,
      mediaType: header(req, "x-goog-upload-header-content-type"),
    };
    const session = deps.uploads.start(target, declaredSize);
    const url = `${originOf(req)}/v0/b/${encodeURIComponent(bucket)}/o?name=${encodeURIComponent(target.name)}&upload_id=${session.id}&upload_protocol=resumable`;
    sendEmpty(res, 200, {
      "x-goog-upload-status": "active",
      "x-goog-upload-url": url,
      "x-goog-upload-chunk-granularity": String(256 * 1024),
      "x-guploader-uploadid": session.id,
    });
    return;
  }
  // Multipart when the SDK says so or the body is multipart/related; otherwise the body is the content.
  const multipart = protocol === "multipart" || boundaryOf(header(req, "content-type")) !== null;
  const { patch, mediaType, media } = await readOneRequestUpload(req, multipart);
  const target = { caller, bucket, name: nameOf(patch.name), patch, mediaType };
  sendJson(res, 200, firebaseResource(await deps.service.upload(target, media)));
}

/** `X-Goog-Upload-Command`: query, cancel, upload, finalize, or "upload, finalize". */
async function continueResumable(
  deps: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  session: UploadSession,
): Promise<void> {
  const commands = new Set(
    (header(req, "x-goog-upload-command") ?? "")
      .split(",")
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== ""),
  );
  const status = (final: boolean) => ({
    "x-goog-upload-status": final ? "final" : "active",
    "x-goog-upload-size-received": String(session.writer.size),
  });
  if (commands.has("query")) {
    sendEmpty(res, 200, status(false));
    return;
  }
  if (commands.has("cancel")) {
    await deps.uploads.cancel(session);
    sendEmpty(res, 200, { "x-goog-upload-status": "cancelled" });
    return;
  }
  if (!commands.has("upload") && !commands.has("finalize")) {
    throw invalid("X-Goog-Upload-Command must be query, cancel, upload or finalize.");
  }
  if (commands.has("upload")) {
    const offset = Number(header(req, "x-goog-upload-offset") ?? session.writer.size);
    if (!Number.isSafeInteger(offset) || offset < 0)
      throw invalid("X-Goog-Upload-Offset must be a byte offset.");
    await deps.uploads.append(session, req as AsyncIterable<Buffer>, offset);
  } else {
    await drain(req);
  }
  if (!commands.has("finalize")) {
    sendEmpty(res, 200, status(false));
    return;
  }
  const object = await deps.uploads.finalize(session);
  sendJson(res, 200, firebaseResource(object), status(true));
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}
