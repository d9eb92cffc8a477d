/**
 * The HTTP edge of WebChannel: `/google.firestore.v1.Firestore/<Listen|Write>/channel`, as the web SDK's
 * WebChannelConnection uses it (same port as everything else; CORS headers are set by the HTTP server):
 * - handshake: `POST ?VER=8&RID=<n>&CVER=22&database=…` without `SID`; the body carries the first
 *   messages and, in `headers`, the `Authorization` header (also accepted from the `$httpHeaders` or
 *   `httpHeaders` query parameter, or the request's own header);
 * - forward channel: `POST ?SID=…&RID=<n>&AID=<last array id received>` with more messages;
 * - back channel: `GET ?SID=…&RID=rpc&AID=…&CI=0|1&TYPE=xmlhttp` (`CI=1` is long polling, `TO` its
 *   optional timeout in ms);
 * - terminate: `TYPE=terminate` with `SID` (POST from sendBeacon, or GET).
 * An unknown session answers 400 "Unknown SID", which makes the client open a new channel.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { principalFromHeader } from "../../auth/token.js";
import type { ServiceDeps } from "../../service/context.js";
import { randomToken } from "../../shared/ids.js";
import type { Logger } from "../../shared/log.js";
import type { StreamingHandler } from "../http/server.js";
import { readBody } from "../http/server.js";
import {
  type ForwardMessage,
  forwardAckFrame,
  handshakeFrame,
  parseForwardBody,
  parseHeaderBlock,
} from "./framing.js";
import { ChannelRegistry } from "./registry.js";
import { type ChannelSession, DEFAULT_TIMINGS, type WebChannelTimings } from "./session.js";
import { type ChannelStream, openStream } from "./streams.js";

const CHANNEL_PATH = /^\/google\.firestore\.v1\.Firestore\/([A-Za-z]+)\/channel$/;

/** The back-channel timeout the handshake announces; the client's watchdog is 1.5 times this. */
const BACK_CHANNEL_TIMEOUT_MS = 30_000;

const RESPONSE_HEADERS: OutgoingHttpHeaders = {
  "content-type": "text/plain; charset=utf-8",
  "cache-control": "no-cache, no-store, max-age=0, must-revalidate",
  "x-content-type-options": "nosniff",
};

export interface WebChannelTransport {
  handle: StreamingHandler;
  /** Open sessions (for tests and figures). */
  sessionCount(): number;
  close(): void;
}

/**
 * Handshake, forward-channel and terminate answers close their connection, as the official emulator's
 * do. The client calls `abort()` on each finished XHR from its own completion handler, and Chromium
 * sometimes reports such a request as failed (`net::ERR_ABORTED`) although it was answered in full;
 * we saw that markedly less often with the connection closed than kept alive.
 */
function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...RESPONSE_HEADERS, connection: "close" });
  res.end(text);
}

/**
 * Browsers allow six HTTP/1.1 connections per host, and every tab holds one open back channel per stream
 * (Listen, and Write while it writes), so a third tab of an app would wait for a free connection. When
 * the client reached us as `localhost`, each session's back channels go to a host of their own,
 * `<prefix>.localhost`, through the client's host-prefix support. Only for browsers known to resolve
 * every `*.localhost` name to the loopback address themselves (Chromium-based and Firefox); Safari and
 * other clients, and other host names (`127.0.0.1` cannot be prefixed), keep one host.
 */
const RESOLVES_LOCALHOST_SUBDOMAINS = /(Chrome|Chromium|Firefox)\/\d/;

function hostPrefix(req: IncomingMessage): string {
  const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
  const agent = req.headers["user-agent"] ?? "";
  if (host !== "localhost" || !RESOLVES_LOCALHOST_SUBDOMAINS.test(agent)) return "";
  return `wc${randomToken(6).toString("hex")}`;
}

/** Headers the client could not set on the request itself, merged over the ones it did send. */
function channelHeaders(req: IncomingMessage, query: URLSearchParams, body: Record<string, string>) {
  const fromQuery = query.get("$httpHeaders") ?? query.get("httpHeaders");
  return {
    authorization: typeof req.headers.authorization === "string" ? req.headers.authorization : undefined,
    ...(fromQuery ? parseHeaderBlock(fromQuery) : {}),
    ...body,
  } as Record<string, string | undefined>;
}

export function createWebChannel(
  deps: ServiceDeps,
  log: Logger,
  timings: Partial<WebChannelTimings> = {},
): WebChannelTransport {
  const registry = new ChannelRegistry({ ...DEFAULT_TIMINGS, ...timings });
  const streams = new WeakMap<ChannelSession, ChannelStream>();

  const deliver = (session: ChannelSession, messages: readonly ForwardMessage[]) => {
    const stream = streams.get(session);
    if (!stream) return;
    for (const message of session.acceptMaps(messages)) stream.receive(message.json);
  };

  const unknownSession = (res: ServerResponse, sid: string | null) =>
    answer(res, 400, `Invalid request: Unknown SID ${JSON.stringify(sid ?? "")}.`);

  const handshake = async (
    name: string,
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ) => {
    const body = parseForwardBody(await readBody(req));
    const headers = channelHeaders(req, query, body.headers);
    const ctx = { ...deps, principal: principalFromHeader(headers.authorization) };
    let stream: ChannelStream | null = null;
    const session = registry.create(() => stream?.close());
    stream = openStream(name, ctx, (payload) => session.send(payload), log);
    streams.set(session, stream);
    deliver(session, body.messages);
    answer(res, 200, handshakeFrame(session.id, hostPrefix(req), BACK_CHANNEL_TIMEOUT_MS));
  };

  const forward = async (
    session: ChannelSession,
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ) => {
    const body = parseForwardBody(await readBody(req));
    session.acknowledge(Number(query.get("AID") ?? -1));
    deliver(session, body.messages);
    answer(res, 200, forwardAckFrame(session.hasBackChannel, session.lastArrayId));
  };

  const backChannel = (session: ChannelSession, res: ServerResponse, query: URLSearchParams) => {
    // Closed after each back channel too: a long poll ends often, and the client aborts each finished one.
    res.writeHead(200, { ...RESPONSE_HEADERS, connection: "close" });
    const sink = {
      write: (chunk: string) => {
        if (!res.writableEnded) res.write(chunk);
      },
      end: () => {
        if (!res.writableEnded) res.end();
      },
    };
    res.on("close", () => session.detach(sink));
    const mode = query.get("CI") === "1" ? "long-polling" : "streaming";
    session.attach(sink, mode, Number(query.get("AID") ?? -1), Number(query.get("TO") ?? 0));
  };

  const route = async (name: string, req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => {
    const sid = query.get("SID");
    const session = registry.get(sid);
    if (query.get("TYPE") === "terminate") {
      await readBody(req);
      session?.close();
      answer(res, 200, "");
    } else if (req.method === "GET" && query.get("RID") === "rpc") {
      if (!session) unknownSession(res, sid);
      else backChannel(session, res, query);
    } else if (req.method === "POST" && (sid === null || sid === "null")) {
      await handshake(name, req, res, query);
    } else if (req.method === "POST") {
      if (!session) {
        await readBody(req);
        unknownSession(res, sid);
      } else await forward(session, req, res, query);
    } else {
      answer(res, 400, `Unsupported WebChannel request: ${req.method} ${query.toString()}`);
    }
  };

  return {
    handle: (req, res, url) => {
      const match = CHANNEL_PATH.exec(url.pathname);
      if (!match) return false;
      route(match[1]!, req, res, url.searchParams).catch((error: unknown) => {
        log.error(`WebChannel request failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) answer(res, 500, "Internal emulator error.");
        else res.end();
      });
      return true;
    },
    sessionCount: () => registry.size,
    close: () => registry.closeAll(),
  };
}
