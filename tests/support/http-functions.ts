import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** An HTTP Cloud Function (onRequest or onCall) as the runtime invokes it. */
export type HttpFunction = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface ServedFunctions {
  /** URL of the function exported as `name`. */
  url(name: string): string;
  close(): Promise<void>;
}

/**
 * Serves HTTP functions at `/<name>` on a free local port, with the Express surface the Functions runtime
 * gives them: `req.rawBody` (the bytes as received), `req.body` (parsed when the request is JSON),
 * `req.get`/`req.header`, `res.status`, `res.json` and `res.send`.
 */
export async function serveFunctions(fns: Record<string, HttpFunction>): Promise<ServedFunctions> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const header = (name: string) => req.headers[name.toLowerCase()];
    let body: unknown;
    if (String(header("content-type") ?? "").startsWith("application/json")) {
      try {
        body = JSON.parse(rawBody.toString("utf8"));
      } catch {
        res.writeHead(400).end("Invalid JSON");
        return;
      }
    }
    Object.assign(req, { rawBody, body, get: header, header });
    Object.assign(res, {
      status(code: number) {
        res.statusCode = code;
        return res;
      },
      json(value: unknown) {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(value));
        return res;
      },
      send(value: unknown) {
        if (typeof value === "string" || Buffer.isBuffer(value)) res.end(value);
        else (res as unknown as { json(v: unknown): void }).json(value);
        return res;
      },
    });
    const fn = fns[new URL(req.url ?? "/", "http://local").pathname.slice(1)];
    if (!fn) {
      res.writeHead(404).end();
      return;
    }
    await fn(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (name) => `${origin}/${name}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
