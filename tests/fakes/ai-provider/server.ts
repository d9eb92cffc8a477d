import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dialectFor } from "./dialects.js";
import { fakeReply } from "./replies.js";

/**
 * A local, deterministic AI provider for tests and the local stack. It speaks the OpenAI Chat Completions
 * API (POST /v1/chat/completions), and also Anthropic Messages (POST /v1/messages) and Gemini
 * generateContent (POST /v1beta/models/{model}:generateContent) so every adapter runs against real HTTP.
 *
 * Test controls, in process through `control` or over HTTP for other processes:
 *   POST /_fake/control  {"latencyMs": 500}                          delay every answer
 *                        {"fail": {"status": 503, "count": 2, "retryAfterSeconds": 1}}  fail the next 2
 *                        {"reset": true}                             no latency, no failures, log cleared
 *   GET  /_fake/requests {"count": n, "requests": [{path, model, prompt}]}
 */
export interface FakeRequestRecord {
  path: string;
  model: string;
  prompt: string;
}

export interface FakeFailure {
  status: number;
  count: number;
  retryAfterSeconds?: number;
}

export interface FakeAiControl {
  setLatency(ms: number): void;
  /** The next `count` model requests answer `status` (429 or 5xx, or any other error status). */
  failNext(failure: FakeFailure): void;
  reset(): void;
  requests(): readonly FakeRequestRecord[];
}

export interface FakeAiProvider {
  /** Origin, for example http://127.0.0.1:8788; the Anthropic and Gemini SDKs take it as their base URL. */
  url: string;
  /** `${url}/v1`: the base URL for the OpenAI SDK and Hearth's AI_BASE_URL. */
  openAiBaseUrl: string;
  control: FakeAiControl;
  stop(): Promise<void>;
}

export interface FakeAiOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeAiProvider(options: FakeAiOptions = {}): Promise<FakeAiProvider> {
  let latencyMs = 0;
  const failures: FakeFailure[] = [];
  const log: FakeRequestRecord[] = [];
  let nextId = 1;

  const control: FakeAiControl = {
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    failNext: (failure) => {
      failures.push({ ...failure });
    },
    reset: () => {
      latencyMs = 0;
      failures.length = 0;
      log.length = 0;
    },
    requests: () => log,
  };

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === "GET" && path === "/_fake/requests")
      return send(res, 200, { count: log.length, requests: log });
    if (req.method !== "POST" || path !== "/_fake/control") return send(res, 404, { error: "not found" });
    const body = (await readJson(req)) as {
      latencyMs?: unknown;
      fail?: Partial<FakeFailure>;
      reset?: unknown;
    };
    if (!body || typeof body !== "object") return send(res, 400, { error: "expected a JSON object" });
    if (body.reset === true) control.reset();
    if (typeof body.latencyMs === "number") control.setLatency(body.latencyMs);
    const fail = body.fail;
    if (fail && typeof fail.status === "number" && typeof fail.count === "number") {
      control.failNext({ status: fail.status, count: fail.count, retryAfterSeconds: fail.retryAfterSeconds });
    }
    send(res, 200, { ok: true });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (path.startsWith("/_fake/")) return handleControl(req, res, path);
    const dialect = req.method === "POST" ? dialectFor(path) : undefined;
    if (!dialect) return send(res, 404, { error: { message: `No route for ${req.method} ${path}` } });
    const parsed = dialect.parse(await readJson(req), path);
    if (!parsed) return send(res, 400, dialect.error(400, "The request body is not valid for this API."));
    log.push({ path, model: parsed.model, prompt: parsed.prompt });
    const id = nextId++;
    const failure = failures[0];
    if (failure) {
      failure.count -= 1;
      if (failure.count <= 0) failures.shift();
    }
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (failure) {
      const headers: Record<string, string> =
        failure.retryAfterSeconds === undefined ? {} : { "retry-after": String(failure.retryAfterSeconds) };
      return send(res, failure.status, dialect.error(failure.status, "Injected failure."), headers);
    }
    send(res, 200, dialect.success(parsed, fakeReply(parsed.model, parsed.prompt, parsed.maxTokens), id));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: { message: "fake provider crashed" } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address}:${port}`;
  return {
    url,
    openAiBaseUrl: `${url}/v1`,
    control,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
