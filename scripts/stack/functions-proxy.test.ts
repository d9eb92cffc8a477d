/**
 * The proxy in front of firebase-tools' Functions emulator, against a stand-in upstream that holds every
 * request until told and counts how many of each path it holds at once: requests to one function beyond
 * the limit wait (the limit is one until the function first answers; all are answered), other functions
 * and the emulator's own endpoints are not held back, and a caller that gives up while waiting frees its
 * place.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { functionOf, startFunctionsProxy } from "./functions-proxy.js";

const host = "127.0.0.1";
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function listen(server: ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  stops.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** An upstream that answers each request only when `release` is called. */
async function heldUpstream() {
  const held: { path: string; res: ServerResponse }[] = [];
  const inFlight = new Map<string, number>();
  const most = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    const n = (inFlight.get(path) ?? 0) + 1;
    inFlight.set(path, n);
    most.set(path, Math.max(most.get(path) ?? 0, n));
    req.resume();
    req.once("end", () => {
      held.push({ path, res });
      res.once("finish", () => inFlight.set(path, (inFlight.get(path) ?? 1) - 1));
    });
  });
  const port = await listen(server);
  return {
    port,
    most,
    held,
    /** Answers every request held now. */
    release() {
      for (const { path, res } of held.splice(0)) res.end(`answer for ${path}`);
    },
  };
}

async function proxyTo(upstreamPort: number, concurrency: number): Promise<string> {
  const server = createServer().listen(0, host);
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const proxy = await startFunctionsProxy({ host, port, upstreamPort, concurrency });
  stops.push(proxy.stop);
  return `http://${host}:${port}`;
}

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
};

describe("functionOf", () => {
  it("names HTTPS functions and background triggers, and nothing else", () => {
    expect(functionOf("/demo-x/us-central1/createOrg")).toBe("https:us-central1-createOrg");
    expect(functionOf("/demo-x/us-central1/createOrg?x=1")).toBe("https:us-central1-createOrg");
    expect(functionOf("/functions/projects/demo-x/triggers/us-central1-onUserCreated-0")).toBe(
      "trigger:us-central1-onUserCreated-0",
    );
    expect(functionOf("/backends")).toBeUndefined();
    expect(functionOf("/")).toBeUndefined();
  });
});

describe("the functions proxy", () => {
  it("holds a function's requests beyond the limit, one until it first answers, and never holds others", async () => {
    const upstream = await heldUpstream();
    const origin = await proxyTo(upstream.port, 2);
    const fn = "/demo-x/us-central1/slow";
    const calls = Array.from({ length: 6 }, (_, i) =>
      fetch(`${origin}${fn}`, { method: "POST", body: `call ${i}` }).then((r) => r.text()),
    );
    await until(() => upstream.held.length === 1);
    // Another function and the emulator's own endpoints go straight through meanwhile.
    const other = fetch(`${origin}/demo-x/us-central1/other`, { method: "POST", body: "{}" });
    const backends = fetch(`${origin}/backends`);
    await until(() => upstream.held.length === 3);
    // Its first worker is still starting: no second request of the function is let through beside it.
    await new Promise((r) => setTimeout(r, 50));
    expect(upstream.held.map((h) => h.path).sort()).toEqual(
      ["/backends", fn, "/demo-x/us-central1/other"].sort(),
    );
    expect(upstream.most.get(fn)).toBe(1);
    upstream.release();
    // Once it has answered, two at a time.
    await until(() => upstream.held.length === 2);
    expect(upstream.held.map((h) => h.path)).toEqual([fn, fn]);
    let done = false;
    const all = Promise.all(calls).finally(() => {
      done = true;
    });
    while (!done) {
      upstream.release();
      await new Promise((r) => setTimeout(r, 20));
    }
    const answers = await all;
    expect(answers).toEqual(Array(6).fill(`answer for ${fn}`));
    expect(upstream.most.get(fn)).toBe(2);
    expect((await other).status).toBe(200);
    expect((await backends).status).toBe(200);
  });

  it("gives the place of a caller that leaves while waiting to the next one", async () => {
    const upstream = await heldUpstream();
    const origin = await proxyTo(upstream.port, 1);
    const fn = "/demo-x/us-central1/one";
    const first = fetch(`${origin}${fn}`, { method: "POST", body: "1" });
    await until(() => upstream.held.length === 1);
    const leaving = new AbortController();
    const gaveUp = fetch(`${origin}${fn}`, { method: "POST", body: "2", signal: leaving.signal }).catch(
      (e: Error) => e.name,
    );
    const third = fetch(`${origin}${fn}`, { method: "POST", body: "3" });
    await new Promise((r) => setTimeout(r, 50));
    leaving.abort();
    expect(await gaveUp).toBe("AbortError");
    upstream.release();
    expect((await first).status).toBe(200);
    await until(() => upstream.held.length === 1);
    upstream.release();
    expect(await (await third).text()).toBe(`answer for ${fn}`);
    expect(upstream.most.get(fn)).toBe(1);
  });
});
