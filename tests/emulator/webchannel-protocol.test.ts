/**
 * The WebChannel transport driven over HTTP as the web SDK's closure client drives it: handshake,
 * forward channel, streaming and long-polling back channels, acknowledgements, terminate and expiry,
 * with the Listen and Write streams' proto3 JSON and rules from the caller's token.
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { type RunningEmulator, silentLogger, startEmulator } from "@hearth/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestEmulator } from "../support/emulator.js";
import { adminFirestore } from "./helpers/admin.js";
import { ChannelClient } from "./helpers/webchannel.js";

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{db}/documents {
    match /open/{doc=**} { allow read, write: if true; }
    match /locked/{doc=**} { allow read, write: if false; }
    match /{path=**}/tasks/{task} { allow read: if true; }
    match /{path=**}/tasks/{task} { allow read: if true; }
  }
}`;

// Short enough to watch, long enough that a busy event loop does not expire a session between requests.
const TIMINGS = { heartbeatMs: 150, streamMaxMs: 60_000, longPollMs: 300, idleMs: 1_500 };

let running: RunningEmulator;
let emu: TestEmulator;
let admin: ReturnType<typeof adminFirestore>;
let database: string;
let base: string;

beforeAll(async () => {
  running = await startEmulator({
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger,
    rulesSource: RULES,
    webChannel: TIMINGS,
  });
  // Loading the gRPC side blocks the event loop for a while; let it finish before timing anything.
  await running.ready();
  emu = {
    host: running.host,
    port: running.port,
    projectId: `demo-${randomBytes(6).toString("hex")}`,
    stop: () => running.stop(),
  };
  admin = adminFirestore(emu);
  database = `projects/${emu.projectId}/databases/(default)`;
  base = `http://${emu.host}:${emu.port}`;
});
afterAll(async () => {
  await admin.terminate();
  await running.stop();
});

/** An unsigned emulator ID token, as `mockUserToken` produces. */
function token(uid: string): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `Bearer ${enc({ alg: "none", type: "JWT" })}.${enc({ sub: uid, user_id: uid, aud: emu.projectId })}.`;
}

const docName = (path: string) => `${database}/documents/${path}`;
const listen = (opts = {}) => new ChannelClient(base, "Listen", database, opts);
const write = (opts = {}) => new ChannelClient(base, "Write", database, opts);

type Json = Record<string, unknown>;
const targetChange = (m: Json) => m.targetChange as Json | undefined;
const isChange = (type: string, id?: number) => (m: Json) =>
  targetChange(m)?.targetChangeType === type &&
  (id === undefined || (targetChange(m)!.targetIds as number[] | undefined)?.includes(id) === true);
const isGlobal = (m: Json) => {
  const tc = targetChange(m);
  return tc?.targetChangeType === "NO_CHANGE" && (tc.targetIds as unknown[]).length === 0 && !!tc.readTime;
};

describe("handshake", () => {
  it("answers one framed array with the session id, protocol version 8 and CORS headers", async () => {
    const channel = listen({ origin: "http://localhost:3000" });
    const res = await channel.open([]);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    const text = await res.text();
    const json = text.slice(text.indexOf("\n") + 1);
    expect(Number(text.slice(0, text.indexOf("\n")))).toBe(json.length);
    const [[id, [c, sid, , version]]] = JSON.parse(json) as [[number, [string, string, string, number]]];
    expect([id, c, version]).toEqual([0, "c", 8]);
    expect(sid).toBe(channel.sid);
    await channel.terminate();
  });

  it("reached as localhost from Chromium or Firefox, each session gets its own back-channel host", async () => {
    const prefixFor = (host: string, agent: string) =>
      new Promise<string>((resolve, reject) => {
        const q = new URLSearchParams({ VER: "8", database, RID: "1", CVER: "22" });
        const req = request(
          {
            host: emu.host,
            port: emu.port,
            method: "POST",
            path: `/google.firestore.v1.Firestore/Listen/channel?${q}`,
            headers: { host, "user-agent": agent, "content-type": "application/x-www-form-urlencoded" },
          },
          (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => {
              text += chunk.toString("utf8");
            });
            res.on("end", () => {
              const [[, [, sid, prefix]]] = JSON.parse(text.slice(text.indexOf("\n") + 1)) as [
                [number, string[]],
              ];
              void fetch(`${base}/google.firestore.v1.Firestore/Listen/channel?SID=${sid}&TYPE=terminate`);
              resolve(prefix!);
            });
          },
        );
        req.on("error", reject);
        req.end("count=0&ofs=0");
      });
    const chrome =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    const safari =
      "Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15";
    const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    const a = await prefixFor(`localhost:${emu.port}`, chrome);
    const b = await prefixFor(`localhost:${emu.port}`, firefox);
    expect(a).toMatch(/^wc[0-9a-f]+$/);
    expect(b).toMatch(/^wc[0-9a-f]+$/);
    expect(a).not.toBe(b);
    expect(await prefixFor(`localhost:${emu.port}`, safari)).toBe("");
    expect(await prefixFor(`127.0.0.1:${emu.port}`, chrome)).toBe("");
  });

  it("an unknown session answers 400 Unknown SID (the client then starts over)", async () => {
    const channel = listen();
    channel.sid = "nope";
    const res = await channel.forward("count=0&ofs=0");
    expect(res.status).toBe(400);
    expect((await res.text()).indexOf("Unknown SID")).toBeGreaterThan(0);
  });

  it("a stream the emulator does not serve answers UNIMPLEMENTED instead of hanging", async () => {
    const channel = new ChannelClient(base, "Commit", database);
    await channel.open([{ database }]);
    await channel.openStreaming();
    await channel.until((r) => r.some((m) => typeof m === "object" && m !== null && "error" in m));
    const error = channel.data().find((m) => "error" in m)!.error as Json;
    expect(error.status).toBe("UNIMPLEMENTED");
    expect(error.message).toContain("Commit");
    await channel.terminate();
  });
});

describe("Listen over a streaming back channel", () => {
  it("add target, initial state, live changes from firebase-admin, remove target", async () => {
    await admin.doc("open/wc1").set({ n: 1 });
    const channel = listen();
    await channel.open([
      { database, addTarget: { targetId: 2, documents: { documents: [docName("open/wc1")] } } },
    ]);
    const res = await channel.openStreaming();
    expect(res.headers.get("content-type")).toContain("text/plain");
    await channel.until((r) => channel.data().some(isGlobal) && r.length > 0);
    const data = channel.data();
    expect(targetChange(data[0]!)).toEqual({ targetChangeType: "ADD", targetIds: [2] });
    const change = data[1]!.documentChange as { document: Json; targetIds: number[] };
    expect(change.document.name).toBe(docName("open/wc1"));
    expect(change.document.fields).toEqual({ n: { integerValue: "1" } });
    expect(change.document.updateTime).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const current = targetChange(data[2]!)!;
    expect(current.targetChangeType).toBe("CURRENT");
    expect(typeof current.resumeToken).toBe("string");
    expect(Buffer.from(current.resumeToken as string, "base64").length).toBeGreaterThan(0);

    const seen = channel.data().length;
    await admin.doc("open/wc1").set({ n: 2, at: new Date(1_700_000_000_000), b: Buffer.from("hi") });
    await channel.until(() => channel.data().slice(seen).some(isGlobal));
    const live = channel.data().slice(seen);
    const doc = (live.find((m) => m.documentChange)!.documentChange as { document: Json }).document;
    expect(doc.fields).toEqual({
      n: { integerValue: "2" },
      at: { timestampValue: "2023-11-14T22:13:20Z" },
      b: { bytesValue: Buffer.from("hi").toString("base64") },
    });

    await admin.doc("open/wc1").delete();
    await channel.until(() => channel.data().some((m) => m.documentDelete));

    const [open] = await channel.send({ database, removeTarget: 2 });
    expect(open).toBe(1);
    await channel.until(() => channel.data().some(isChange("REMOVE", 2)));
    await channel.terminate();
  });

  it("query targets in proto3 JSON (plain-number limit); a resumed target starts over with RESET", async () => {
    await admin.doc("open/q/items/a").set({ n: 1 });
    await admin.doc("open/q/items/b").set({ n: 2 });
    const channel = listen();
    await channel.open([
      {
        database,
        addTarget: {
          targetId: 4,
          resumeToken: Buffer.from("old").toString("base64"),
          query: {
            parent: docName("open/q"),
            structuredQuery: {
              from: [{ collectionId: "items" }],
              orderBy: [{ field: { fieldPath: "n" }, direction: "DESCENDING" }],
              limit: 1,
            },
          },
        },
      },
    ]);
    await channel.openStreaming();
    await channel.until(() => channel.data().some(isGlobal));
    const data = channel.data();
    expect(data.map((m) => (targetChange(m)?.targetChangeType as string) ?? "doc")).toEqual([
      "ADD",
      "RESET",
      "doc",
      "CURRENT",
      "NO_CHANGE",
    ]);
    expect(((data[2]!.documentChange as Json).document as Json).name).toBe(docName("open/q/items/b"));
    await channel.terminate();
  });

  it("collection-group targets see documents under every parent", async () => {
    await admin.doc("open/g1/tasks/a").set({ n: 1 });
    await admin.doc("open/g2/tasks/b").set({ n: 2 });
    const channel = listen();
    await channel.open([
      {
        database,
        addTarget: {
          targetId: 6,
          query: {
            parent: `${database}/documents`,
            structuredQuery: { from: [{ collectionId: "tasks", allDescendants: true }] },
          },
        },
      },
    ]);
    await channel.openStreaming();
    await channel.until(() => channel.data().some(isGlobal));
    const names = channel
      .data()
      .filter((m) => m.documentChange)
      .map((m) => ((m.documentChange as Json).document as Json).name);
    expect(names).toEqual([docName("open/g1/tasks/a"), docName("open/g2/tasks/b")]);
    await channel.terminate();
  });

  it("a denied target is removed with a PERMISSION_DENIED cause; the stream stays usable", async () => {
    const channel = listen({ authorization: token("alice") });
    await channel.open([
      { database, addTarget: { targetId: 2, documents: { documents: [docName("locked/x")] } } },
    ]);
    await channel.openStreaming();
    await channel.until(() => channel.data().some(isChange("REMOVE", 2)));
    const removed = targetChange(channel.data().find(isChange("REMOVE", 2))!)!;
    expect((removed.cause as Json).code).toBe(7);
    await channel.send({
      database,
      addTarget: { targetId: 4, documents: { documents: [docName("open/y")] } },
    });
    await channel.until(() => channel.data().some(isChange("CURRENT", 4)));
    await channel.terminate();
  });

  it("heartbeat noops keep an idle streaming back channel alive", async () => {
    const channel = listen();
    await channel.open([]);
    await channel.openStreaming();
    await channel.until((r) => r.filter((m) => m === "noop").length >= 3);
    await channel.terminate();
  });
});

describe("Write over WebChannel", () => {
  it("handshake token, then batches with transforms answered with results and commit times", async () => {
    const channel = write();
    await channel.open([{ database }]);
    await channel.openStreaming();
    await channel.until(() => channel.data().length >= 1);
    const handshake = channel.data()[0]!;
    expect(typeof handshake.streamToken).toBe("string");
    expect(handshake.writeResults).toBeUndefined();

    await channel.send({
      streamToken: handshake.streamToken,
      writes: [
        {
          update: { name: docName("open/w1"), fields: { n: { integerValue: "5" } } },
          updateTransforms: [
            { fieldPath: "at", setToServerValue: "REQUEST_TIME" },
            { fieldPath: "n", increment: { integerValue: "2" } },
          ],
          currentDocument: { exists: false },
        },
      ],
    });
    await channel.until(() => channel.data().length >= 2);
    const result = channel.data()[1]!;
    expect(typeof result.commitTime).toBe("string");
    const [wr] = result.writeResults as Array<{ updateTime: string; transformResults: Json[] }>;
    expect(wr!.transformResults).toHaveLength(2);
    // Server timestamps are the commit time truncated to milliseconds.
    const serverTime = Date.parse(wr!.transformResults[0]!.timestampValue as string);
    expect(serverTime).toBe(Math.floor(Date.parse(result.commitTime as string)));
    expect(wr!.transformResults[1]).toEqual({ integerValue: "7" });
    expect((await admin.doc("open/w1").get()).get("n")).toBe(7);

    // A precondition with an RFC 3339 update time, as proto3 JSON carries it.
    await channel.send({
      writes: [
        {
          update: { name: docName("open/w1"), fields: { n: { integerValue: "8" } } },
          currentDocument: { updateTime: wr!.updateTime },
        },
      ],
    });
    await channel.until(() => channel.data().length >= 3);
    expect((await admin.doc("open/w1").get()).get("n")).toBe(8);
    await channel.terminate();
  });

  it("a denied batch ends the stream with a PERMISSION_DENIED error message; nothing is applied", async () => {
    const channel = write({ authorization: token("alice") });
    await channel.open([{ database }]);
    await channel.openStreaming();
    await channel.until(() => channel.data().length >= 1);
    await channel.send({
      writes: [
        { update: { name: docName("open/d1"), fields: {} } },
        { update: { name: docName("locked/d1"), fields: {} } },
      ],
    });
    await channel.until(() => channel.data().some((m) => "error" in m));
    const error = channel.data().find((m) => "error" in m)!.error as Json;
    expect(error.status).toBe("PERMISSION_DENIED");
    expect(typeof error.message).toBe("string");
    expect((await admin.doc("open/d1").get()).exists).toBe(false);
    await channel.terminate();
  });

  it("a malformed write ends the stream with INVALID_ARGUMENT naming the field; nothing is applied", async () => {
    const channel = write();
    await channel.open([{ database }]);
    await channel.openStreaming();
    await channel.until(() => channel.data().length >= 1);
    await channel.send({
      writes: [
        { update: { name: docName("open/m1"), fields: {} } },
        { update: { name: docName("open/m2"), fields: {} }, updateMask: { fieldPaths: "a" } },
      ],
    });
    await channel.until(() => channel.data().some((m) => "error" in m));
    const error = channel.data().find((m) => "error" in m)!.error as Json;
    expect(error.status).toBe("INVALID_ARGUMENT");
    expect(error.message).toMatch(/updateMask.fieldPaths must be a list/);
    expect((await admin.doc("open/m1").get()).exists).toBe(false);
    await channel.terminate();
  });

  it("a forward request retried with the same ids is applied once", async () => {
    const channel = write();
    await channel.open([{ database }]);
    await channel.openStreaming();
    await channel.until(() => channel.data().length >= 1);
    const batch = {
      writes: [
        {
          update: { name: docName("open/once"), fields: {} },
          updateTransforms: [{ fieldPath: "n", increment: { integerValue: "1" } }],
        },
      ],
    };
    await channel.send(batch);
    channel.rewind(1);
    await channel.send(batch);
    await channel.until(() => channel.data().length >= 2);
    expect((await admin.doc("open/once").get()).get("n")).toBe(1);
    await channel.terminate();
  });
});

describe("long polling, acknowledgements and the session's life", () => {
  it("a long poll ends as soon as it has data, waits for the next data, and answers a noop when idle", async () => {
    const channel = listen();
    await channel.open([
      { database, addTarget: { targetId: 2, documents: { documents: [docName("open/lp")] } } },
    ]);
    const first = await channel.longPoll();
    expect(first.status).toBe(200);
    expect(first.messages.length).toBeGreaterThan(0);
    while (!channel.data().some(isGlobal)) await channel.longPoll();

    const waiting = channel.longPoll();
    await new Promise((r) => setTimeout(r, 50));
    await admin.doc("open/lp").set({ n: 1 });
    const next = await waiting;
    expect((next.messages as Json[]).some((m) => m.documentChange)).toBe(true);

    while (
      !channel.data().filter(isGlobal).length ||
      (await channel.longPoll()).messages.some((m) => m !== "noop")
    );
    const idle = await channel.longPoll();
    expect(idle.messages).toEqual(["noop"]);
    await channel.terminate();
  });

  it("a new back channel resends what the client has not acknowledged", async () => {
    const channel = listen();
    await channel.open([
      { database, addTarget: { targetId: 2, documents: { documents: [docName("open/ack")] } } },
    ]);
    await channel.longPoll();
    const count = channel.received.length;
    expect(count).toBeGreaterThan(0);
    // Forget what was received: AID=0 asks for everything after id 0 again.
    channel.lastArrayId = 0;
    channel.received.length = 0;
    await channel.longPoll();
    expect(channel.received.length).toBe(count);
    await channel.terminate();
  });

  it("terminate closes the session; an idle session without a back channel expires", async () => {
    const before = running.webChannelSessions();
    const a = listen();
    await a.open([{ database, addTarget: { targetId: 2, documents: { documents: [docName("open/t")] } } }]);
    const b = write();
    await b.open([{ database }]);
    expect(running.webChannelSessions()).toBe(before + 2);
    expect((await a.terminate()).status).toBe(200);
    expect(running.webChannelSessions()).toBe(before + 1);
    expect((await a.forward("count=0&ofs=5")).status).toBe(400);
    // b never opens a back channel: it expires after idleMs.
    await new Promise((r) => setTimeout(r, TIMINGS.idleMs + 200));
    expect(running.webChannelSessions()).toBe(before);
  });

  it("a session whose streaming back channel drops (a closed tab) expires", async () => {
    const before = running.webChannelSessions();
    const channel = listen();
    await channel.open([
      { database, addTarget: { targetId: 2, documents: { documents: [docName("open/tab")] } } },
    ]);
    await channel.openStreaming();
    await channel.until(() => channel.data().some(isGlobal));
    await new Promise((r) => setTimeout(r, TIMINGS.idleMs + 100));
    expect(running.webChannelSessions()).toBe(before + 1);
    channel.closeStreaming();
    await new Promise((r) => setTimeout(r, TIMINGS.idleMs + 200));
    expect(running.webChannelSessions()).toBe(before);
  });

  it("the Authorization header is also read from the $httpHeaders query parameter", async () => {
    const channel = new ChannelClient(base, "Listen", database);
    const q = new URLSearchParams({
      VER: "8",
      database,
      RID: "1",
      CVER: "22",
      $httpHeaders: `Authorization:${token("alice")}\r\n`,
    });
    const form = new URLSearchParams({
      count: "1",
      ofs: "0",
      req0___data__: JSON.stringify({
        database,
        addTarget: { targetId: 2, documents: { documents: [docName("locked/z")] } },
      }),
    });
    const res = await fetch(`${base}/google.firestore.v1.Firestore/Listen/channel?${q}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    const text = await res.text();
    channel.sid = (JSON.parse(text.slice(text.indexOf("\n") + 1)) as [[number, string[]]])[0][1][1]!;
    await channel.longPoll();
    expect(targetChange(channel.data()[0]!)!.cause).toMatchObject({ code: 7 });
    await channel.terminate();
  });
});
