/** Reading and writing HTTP messages for the Storage APIs: JSON bodies, errors, object content. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { invalid, StorageError } from "../errors.js";
import type { StoredObject } from "../object.js";
import type { ResumableUploads } from "../resumable.js";
import type { StorageService } from "../service.js";
import type { ObjectStore } from "../store.js";

const MAX_JSON_BYTES = 1024 * 1024;
const MAX_LIST_RESULTS = 1000;

/** What the two object APIs serve from. */
export interface ApiDeps {
  service: StorageService;
  uploads: ResumableUploads;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Listing parameters, shared by both APIs. */
export function listParams(query: URLSearchParams) {
  const raw = query.get("maxResults");
  const maxResults = raw === null || raw === "" ? MAX_LIST_RESULTS : Number(raw);
  if (!Number.isInteger(maxResults) || maxResults < 1)
    throw invalid("maxResults must be a positive integer.");
  return {
    prefix: query.get("prefix") ?? "",
    delimiter: query.get("delimiter") ?? "",
    pageToken: query.get("pageToken") || undefined,
    maxResults: Math.min(maxResults, MAX_LIST_RESULTS),
  };
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw new StorageError("payload-too-large", "JSON body too large.");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw invalid("The request body is not valid JSON.");
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...headers, "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}

/** The error body both APIs use; the SDKs branch on the status. */
export function sendError(res: ServerResponse, error: StorageError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, {
    error: {
      code: error.status,
      message: error.message,
      errors: [{ message: error.message, reason: error.code }],
    },
  });
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (one range); anything else is served whole. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number;
  let end: number;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) {
    throw new StorageError("range-not-satisfiable", `Range ${header} is outside the object's ${size} bytes.`);
  }
  return { start, end };
}

/** Streams an object's content from disk, honouring a single byte range. */
export async function sendContent(
  req: IncomingMessage,
  res: ServerResponse,
  store: ObjectStore,
  object: StoredObject,
): Promise<void> {
  const range = object.size > 0 ? parseRange(req.headers.range, object.size) : null;
  const headers: Record<string, string> = {
    "content-type": object.contentType,
    "accept-ranges": "bytes",
    etag: `"${object.md5Hash}"`,
    "last-modified": new Date(object.updated).toUTCString(),
    "x-goog-generation": object.generation,
    "x-goog-metageneration": String(object.metageneration),
    "x-goog-hash": `crc32c=${object.crc32c},md5=${object.md5Hash}`,
    "x-goog-stored-content-length": String(object.size),
    "x-goog-stored-content-encoding": object.contentEncoding ?? "identity",
  };
  if (object.contentDisposition) headers["content-disposition"] = object.contentDisposition;
  if (object.contentEncoding) headers["content-encoding"] = object.contentEncoding;
  if (object.contentLanguage) headers["content-language"] = object.contentLanguage;
  if (object.cacheControl) headers["cache-control"] = object.cacheControl;
  if (range) {
    headers["content-range"] = `bytes ${range.start}-${range.end}/${object.size}`;
    headers["content-length"] = String(range.end - range.start + 1);
    res.writeHead(206, headers);
  } else {
    headers["content-length"] = String(object.size);
    res.writeHead(200, headers);
  }
  if (req.method === "HEAD" || object.size === 0) {
    res.end();
    return;
  }
  await pipeline(store.read(object, range ?? undefined), res);
}

/** The base URL the client used to reach the emulator, for links and upload URLs. */
export function originOf(req: IncomingMessage): string {
  return `http://${req.headers.host ?? "localhost"}`;
}

/** A decoded `/…/b/{bucket}/o[/{object}]` path. */
export interface ObjectPath {
  bucket: string;
  /** The decoded object name, or undefined for the bucket's object collection. */
  name?: string;
}

/** Splits a raw (still percent-encoded) path after its API prefix, e.g. `b/bkt/o/a%2Fb.txt`. */
export function parseObjectPath(raw: string): ObjectPath | null {
  const m = /^b\/([^/]+)\/o(?:\/(.+))?$/.exec(raw);
  if (!m) return null;
  try {
    const bucket = decodeURIComponent(m[1]!);
    return m[2] === undefined ? { bucket } : { bucket, name: decodeURIComponent(m[2]) };
  } catch {
    throw invalid("Malformed percent-encoding in the object path.");
  }
}
