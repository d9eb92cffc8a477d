/**
 * The seed's function host (seed-host.ts starts it): one process that imports the functions bundle once
 * and serves every HTTPS function, callable and 2nd-gen event trigger in it, each as Cloud Run functions
 * serves one. HTTPS functions and callables go through functions-framework, the runtime deployed functions
 * run in; events are passed as the Functions emulator passes them: a binary-mode CloudEvent (Firestore,
 * its protobuf payload base64-encoded by Hearth's emulator) or a structured one (Storage).
 *
 * Usage: seed-host-main.ts <host> <port> <bundle>. Prints `seed host ready <name,name,…>` once listening.
 */
import { createServer, type IncomingMessage, type RequestListener } from "node:http";
import { pathToFileURL } from "node:url";
import { http as registerHttp } from "@google-cloud/functions-framework";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { exportName, functionOf } from "./functions-proxy.js";

interface Endpoint {
  platform?: string;
  httpsTrigger?: unknown;
  callableTrigger?: unknown;
  eventTrigger?: unknown;
}
type EventHandler = (event: unknown) => Promise<unknown>;

const [host, port, bundlePath] = process.argv.slice(2);
if (!host || !port || !bundlePath) throw new Error("usage: seed-host-main.ts <host> <port> <bundle>");

const bundle = (await import(pathToFileURL(bundlePath).href)) as Record<string, unknown>;
const https = new Map<string, RequestListener>();
const events = new Map<string, EventHandler>();
for (const [name, fn] of Object.entries(bundle)) {
  const endpoint = (fn as { __endpoint?: Endpoint } | undefined)?.__endpoint;
  if (typeof fn !== "function" || !endpoint) continue;
  if (endpoint.httpsTrigger || endpoint.callableTrigger) {
    registerHttp(name, fn as Parameters<typeof registerHttp>[1]);
    const server = getTestServer(name);
    https.set(name, (req, res) => server.emit("request", req, res));
  } else if (endpoint.eventTrigger && endpoint.platform === "gcfv2") {
    events.set(name, fn as EventHandler);
  }
  // 1st-gen Auth triggers stay with firebase-tools: its Auth emulator calls its own Functions emulator.
}

/** Which function a request is for, through the functions proxy's own reading of the URL. */
function route(url: string): { kind: "https" | "event"; name: string } | undefined {
  const key = functionOf(url);
  const name = key === undefined ? undefined : exportName(key);
  if (key === undefined || name === undefined) return undefined;
  return { kind: key.startsWith("trigger:") ? "event" : "https", name };
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The CloudEvent object a 2nd-gen handler takes, as firebase-tools' runtime builds it. */
function cloudEvent(req: IncomingMessage, raw: Buffer): unknown {
  if (!req.headers["ce-specversion"]) return JSON.parse(raw.toString("utf8"));
  const event: Record<string, unknown> = {};
  for (const [header, value] of Object.entries(req.headers)) {
    if (header.startsWith("ce-")) event[header.slice(3)] = value;
  }
  const protobuf = String(req.headers["content-type"] ?? "").includes("application/protobuf");
  event.data = protobuf ? Buffer.from(raw.toString("latin1"), "base64") : raw;
  return event;
}

const server = createServer((req, res) => {
  const target = route(req.url ?? "/");
  const listener = target?.kind === "https" ? https.get(target.name) : undefined;
  if (listener) {
    // functions-framework serves one function at its root.
    req.url = req.url?.replace(/^\/[^/]+\/[^/]+\/[^/?]+/, "") || "/";
    if (!req.url.startsWith("/")) req.url = `/${req.url}`;
    listener(req, res);
    return;
  }
  const handler = target?.kind === "event" ? events.get(target.name) : undefined;
  if (!handler) {
    res.writeHead(404, { "content-type": "text/plain" }).end(`no function for ${req.url}`);
    return;
  }
  void body(req)
    .then((raw) => handler(cloudEvent(req, raw)))
    .then(
      () => res.writeHead(200, { "content-type": "application/json" }).end('{"status":"acknowledged"}'),
      (error: Error) => {
        console.error(`${target?.name} failed: ${error.stack ?? error.message}`);
        res.writeHead(500, { "content-type": "text/plain" }).end(error.message);
      },
    );
});
server.listen(Number(port), host, () => {
  console.log(`seed host ready ${[...https.keys(), ...events.keys()].join(",")}`);
});
