/** The HTTP/1.1 side of the shared port: reads the body, routes, and renders results and errors. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isEmulatorError } from "../../shared/errors.js";
import type { Logger } from "../../shared/log.js";
import { HTTP_STATUS, HttpError } from "./errors.js";
import { findRoute, type Route, type RouteResponse } from "./router.js";

const MAX_BODY_BYTES = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
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
    return { status: error.status, json: { error: { code: error.status, message: error.message } } };
  }
  if (isEmulatorError(error)) {
    const status = HTTP_STATUS[error.code];
    return { status, json: { error: { code: status, message: error.message, status: error.code } } };
  }
  if (error instanceof SyntaxError)
    return { status: 400, json: { error: { code: 400, message: "Invalid JSON body." } } };
  log.error(
    `HTTP handler failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return { status: 500, json: { error: { code: 500, message: "Internal emulator error." } } };
}

export function createHttpServer(routes: Route[], log: Logger): Server {
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      const found = findRoute(routes, req.method ?? "GET", decodeURI(url.pathname));
      if (!found) throw new HttpError(404, `No route for ${req.method} ${url.pathname}.`);
      const body = await readBody(req);
      send(res, await found.route.handle(found.match, body, url.searchParams, req.headers));
    } catch (error) {
      send(res, errorResponse(error, log));
    }
  });
}
