import { createServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import type { StackConfig } from "./config.js";

/** A free port on the stack's host, for firebase-tools' own hub behind Hearth's. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface HubEntry {
  name: string;
  host: string;
  port: number;
  listen: { address: string; family: "IPv4" | "IPv6"; port: number }[];
}

function entry(name: string, host: string, port: number): HubEntry {
  return {
    name,
    host,
    port,
    listen: [{ address: host, family: host.includes(":") ? "IPv6" : "IPv4", port }],
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * The emulator hub on the stack's hub port. firebase-tools' hub lists only the emulators firebase-tools runs,
 * so tools that discover emulators through FIREBASE_EMULATOR_HUB (rules-unit-testing, the Emulator UI)
 * would not find Hearth's Firestore and Storage. This hub answers `GET /emulators` with both added and
 * itself as the hub (and the Functions emulator at the stack's port, see functions-proxy.ts), and passes every other request (trigger switches, export) to firebase-tools' hub.
 */
export function startHub(config: StackConfig, upstreamPort: number): Promise<{ stop(): Promise<void> }> {
  const upstream = `http://${config.host}:${upstreamPort}`;
  const server: Server = createServer((req, res) => {
    const fail = (error: unknown) => {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `firebase-tools' hub did not answer: ${(error as Error).message}` }));
    };
    if (req.method === "GET" && req.url === "/emulators") {
      fetch(`${upstream}/emulators`)
        .then((r) => r.json() as Promise<Record<string, HubEntry>>)
        .then((listed) => {
          const all = {
            ...listed,
            // firebase-tools lists its Functions emulator on its private port, behind the proxy.
            ...(listed.functions
              ? { functions: entry("functions", config.host, config.ports.functions) }
              : {}),
            hub: entry("hub", config.host, config.ports.hub),
            firestore: entry("firestore", config.host, config.ports.firestore),
            storage: entry("storage", config.host, config.ports.storage),
          };
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(all));
        })
        .catch(fail);
      return;
    }
    readBody(req)
      .then((body) =>
        fetch(`${upstream}${req.url ?? "/"}`, {
          method: req.method,
          headers: { "content-type": req.headers["content-type"] ?? "application/json" },
          body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
        }),
      )
      .then(async (r) => {
        res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json" });
        res.end(Buffer.from(await r.arrayBuffer()));
      })
      .catch(fail);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.ports.hub, config.host, () =>
      resolve({
        stop: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}
