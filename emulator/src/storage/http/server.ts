/**
 * The Storage emulator's HTTP server: CORS on every answer (preflights included, with the upload
 * headers the SDKs read exposed), then the emulator endpoints, the Firebase v0 API and the Cloud Storage
 * JSON API. Errors become JSON with their status; request bodies stream into handlers unread.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../../shared/log.js";
import { corsHeaders, preflightHeaders } from "../../transport/http/cors.js";
import { StorageError } from "../errors.js";
import { type EmulatorApiDeps, emulatorApi } from "./emulator-api.js";
import { firebaseApi } from "./firebase-api.js";
import { gcsApi } from "./gcs-api.js";
import { type ApiDeps, sendError } from "./io.js";

/** Response headers the Firebase SDKs read from uploads and downloads in browsers. */
const EXPOSED_HEADERS = [
  "x-goog-upload-status",
  "x-goog-upload-url",
  "x-goog-upload-size-received",
  "x-goog-upload-chunk-granularity",
  "x-goog-hash",
  "x-goog-generation",
  "content-range",
  "content-length",
  "content-type",
  "etag",
  "location",
  "range",
].join(", ");

export function createStorageServer(deps: ApiDeps & EmulatorApiDeps, log: Logger): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const rawPath = url.pathname;
    // Readiness probe, as the Firestore port answers it.
    if (rawPath === "/" && req.method === "GET") {
      res.writeHead(200, { "content-type": "text/plain" }).end("Ok");
      return;
    }
    if (await emulatorApi(deps, req, res, rawPath)) return;
    if (rawPath.startsWith("/v0/")) {
      await firebaseApi(deps, req, res, rawPath.slice("/v0/".length), url.searchParams);
      return;
    }
    if (await gcsApi(deps, req, res, rawPath.slice(1), url.searchParams)) return;
    throw new StorageError("not-found", `No Storage route for ${req.method} ${rawPath}.`);
  };

  return createServer((req, res) => {
    if (req.method === "OPTIONS") {
      res.writeHead(204, preflightHeaders(req.headers));
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(corsHeaders(req.headers))) {
      if (value !== undefined) res.setHeader(name, value);
    }
    if (req.headers.origin) res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
    handle(req, res).catch((error: unknown) => {
      if (error instanceof StorageError) {
        sendError(res, error);
        return;
      }
      // The client went away mid-body (an aborted upload): nothing to answer.
      if (req.destroyed || (error as { code?: string }).code === "ERR_STREAM_PREMATURE_CLOSE") {
        res.destroy();
        return;
      }
      log.error(
        `Storage handler failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      sendError(res, new StorageError("internal", "Internal Storage emulator error."));
    });
  });
}
