/**
 * The HTTP/1.1 side of the shared port: answers CORS preflights, reads the body, routes, and renders
 * results and errors, every answer with CORS headers. Streaming handlers (WebChannel) take the raw
 * request and response first.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isEmulatorError } from "../../shared/errors.js";
import type { Logger } from "../../shared/log.js";
import { corsHeaders, preflightHeaders } from "./cors.js";
import { HTTP_STATUS, HttpError } from "./errors.js";
import { findRoute, type Route, type RouteResponse } from "./router.js";

/** Takes a request it serves (returning true) and writes the response itself; CORS is already set. */
export type StreamingHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, "Request body too large."));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, response: RouteResponse): void {
  if (response.html !== undefined) {
    res.writeHead(response.status, { "content-type": "text/html; charset=utf-8" });
    res.end(response.html);
    return;
  }
  if (response.text !== undefined) {
    res.writeHead(response.status, { "content-type": "text/plain; charset=utf-8" });
    res.end(response.text);
    return;
  }
  res.writeHead(response.status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(response.json ?? {}));
}

function errorResponse(error: unknown, log: Logger): RouteResponse {
  if (error instanceof HttpError) {
    const status = error.rpcStatus ? { status: error.rpcStatus } : {};
    return {
      status: error.status,
      json: { error: { code: error.status, message: error.message, ...status } },
    };
  }
  if (isEmulatorError(error)) {
    const status = HTTP_STATUS[error.code];
    return { status, json: { error: { code: status, message: error.message, status: error.code } } };
  }
  if (error instanceof SyntaxError)
    return {
      status: 400,
      json: { error: { code: 400, message: "Invalid JSON body.", status: "INVALID_ARGUMENT" } },
    };
  log.error(
    `HTTP handler failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return {
    status: 500,
    json: { error: { code: 500, message: "Internal emulator error.", status: "INTERNAL" } },
  };
}

export function createHttpServer(routes: Route[], log: Logger, streaming: StreamingHandler[] = []): Server {
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "OPTIONS") {
      res.writeHead(204, preflightHeaders(req.headers));
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(corsHeaders(req.headers))) {
      if (value !== undefined) res.setHeader(name, value);
    }
    try {
      for (const handler of streaming) if (handler(req, res, url)) return;
      const found = findRoute(routes, req.method ?? "GET", decodeURI(url.pathname));
      if (!found) throw new HttpError(404, `No route for ${req.method} ${url.pathname}.`, "NOT_FOUND");
      const body = await readBody(req);
      send(res, await found.route.handle(found.match, body, url.searchParams, req.headers));
    } catch (error) {
      send(res, errorResponse(error, log));
    }
  });
}
