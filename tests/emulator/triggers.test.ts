/**
 * Trigger delivery: a stand-in Functions emulator records what the Firestore emulator POSTs, and the
 * v2 events are handed to real firebase-functions handlers, which decode the protobuf payload.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type RunningEmulator, silentLogger, startEmulator } from "@hearth/emulator";
import { onDocumentCreated, onDocumentWritten } from "firebase-functions/v2/firestore";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestEmulator } from "../support/emulator.js";
import { adminFirestore } from "./helpers/admin.js";

interface Delivery {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const project = "demo-triggers";
let functionsServer: Server;
let deliveries: Delivery[] = [];
const held: (() => void)[] = [];
let emulator: RunningEmulator;
let emu: TestEmulator;
let db: ReturnType<typeof adminFirestore>;

beforeAll(async () => {
  functionsServer = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += String(c);
    });
    req.on("end", () => {
      deliveries.push({ url: req.url ?? "", headers: req.headers, body });
      // A function still starting: its answer waits until the test lets it go.
      if (req.url?.includes("slowItems")) {
        held.push(() => res.writeHead(200).end());
        return;
      }
      // Stale registrations answer 404 in the real Functions emulator; delivery must shrug it off.
      res.writeHead(req.url?.includes("stale") ? 404 : 200).end();
    });
  });
  await new Promise<void>((resolve) => functionsServer.listen(0, "127.0.0.1", resolve));
  const fnPort = (functionsServer.address() as AddressInfo).port;
  emulator = await startEmulator({ port: 0, logger: silentLogger, functionsEmulator: `127.0.0.1:${fnPort}` });
  emu = { host: emulator.host, port: emulator.port, projectId: project, stop: () => emulator.stop() };
  db = adminFirestore(emu);
  const base = `http://${emulator.host}:${emulator.port}/emulator/v1/projects/${project}`;
  const register = async (key: string, body: unknown, v1 = false) => {
    const res = await fetch(
      v1 ? `${base}/triggers/${key}` : `${base}/eventarcTrigger?eventarcTriggerId=${key}`,
      {
        method: v1 ? "PUT" : "POST",
        body: JSON.stringify(body),
      },
    );
    expect(res.status).toBe(200);
  };
  await register("us-central1-onUserWritten-0", {
    eventType: "google.cloud.firestore.document.v1.written",
    database: "(default)",
    namespace: "(default)",
    document: { value: "users/{uid}", matchType: "PATH_PATTERN" },
  });
  await register("us-central1-onAnyOrgDoc-0", {
    eventType: "google.cloud.firestore.document.v1.created.withAuthContext",
    database: "(default)",
    namespace: "(default)",
    document: { value: "orgs/{orgId}/{rest=**}", matchType: "PATH_PATTERN" },
  });
  for (const key of ["us-central1-slowItems-0", "us-central1-fastItems-0"]) {
    await register(key, {
      eventType: "google.cloud.firestore.document.v1.written",
      database: "(default)",
      namespace: "(default)",
      document: { value: "items/{id}", matchType: "PATH_PATTERN" },
    });
  }
  await register("us-central1-stale-0", {
    eventType: "google.cloud.firestore.document.v1.written",
    database: "(default)",
    document: { value: "users/{uid}", matchType: "PATH_PATTERN" },
  });
  await register(
    "us-central1-legacyDelete-0",
    {
      eventTrigger: {
        eventType: "providers/cloud.firestore/eventTypes/document.delete",
        resource: `projects/${project}/databases/(default)/documents/users/{uid}`,
        service: "firestore.googleapis.com",
      },
    },
    true,
  );
});
afterAll(async () => {
  await db.terminate();
  await emulator.stop();
  await new Promise((resolve) => functionsServer.close(resolve));
});
beforeEach(() => {
  deliveries = [];
});

function toCloudEvent(d: Delivery): Record<string, unknown> {
  const event: Record<string, unknown> = { data: Buffer.from(d.body, "base64") };
  for (const [name, value] of Object.entries(d.headers)) {
    if (name.startsWith("ce-")) event[name.slice(3)] = value;
  }
  return event;
}

/** Invokes a deployed-shape function the way the Functions emulator runtime does. */
async function deliver(fn: unknown, d: Delivery): Promise<void> {
  await (fn as (event: unknown) => Promise<unknown>)(toCloudEvent(d));
}

describe("trigger delivery", () => {
  it("v2: created, updated and deleted documents reach a written trigger with before/after data", async () => {
    await db.doc("users/u1").set({ name: "A" });
    await db.doc("users/u1").update({ name: "B" });
    await db.doc("users/u1").delete();
    await emulator.triggersIdle();
    const written = deliveries.filter((d) => d.url.endsWith("/triggers/us-central1-onUserWritten-0"));
    expect(written).toHaveLength(3);
    expect(written[0]!.url).toBe(`/functions/projects/${project}/triggers/us-central1-onUserWritten-0`);
    expect(written[0]!.headers).toMatchObject({
      "content-type": "application/protobuf",
      "ce-specversion": "1.0",
      "ce-type": "google.cloud.firestore.document.v1.written",
      "ce-source": `//firestore.googleapis.com/projects/${project}/databases/(default)`,
      "ce-subject": "documents/users/u1",
      "ce-document": "users/u1",
      "ce-database": "(default)",
      "ce-project": project,
    });
    const seen: Array<[unknown, unknown, string]> = [];
    const handler = onDocumentWritten("users/{uid}", (event) => {
      seen.push([event.data?.before.data(), event.data?.after.data(), event.params.uid]);
    });
    for (const d of written) await deliver(handler, d);
    expect(seen).toEqual([
      [undefined, { name: "A" }, "u1"],
      [{ name: "A" }, { name: "B" }, "u1"],
      [{ name: "B" }, undefined, "u1"],
    ]);
  });

  it("v2: multi-segment patterns and auth context", async () => {
    await db.doc("orgs/o1/projects/p1").set({ name: "P" });
    await db.doc("orgs/o1").set({ name: "O" });
    await db.doc("other/x").set({ v: 1 });
    await emulator.triggersIdle();
    const created = deliveries.filter((d) => d.url.endsWith("onAnyOrgDoc-0"));
    expect(created.map((d) => d.headers["ce-document"])).toEqual(["orgs/o1/projects/p1"]);
    expect(created[0]!.headers["ce-authtype"]).toBe("system");
    const params: unknown[] = [];
    const handler = onDocumentCreated("orgs/{orgId}/{rest=**}", (event) => {
      params.push({ ...event.params, name: event.data?.data().name });
    });
    await deliver(handler, created[0]!);
    expect(params).toEqual([{ orgId: "o1", rest: "projects/p1", name: "P" }]);
  });

  it("v1: legacy JSON events for a delete trigger", async () => {
    await db.doc("users/u2").set({ v: 1 });
    await db.doc("users/u2").delete();
    await emulator.triggersIdle();
    const legacy = deliveries.filter((d) => d.url.endsWith("legacyDelete-0"));
    expect(legacy).toHaveLength(1);
    const body = JSON.parse(legacy[0]!.body);
    expect(body.data.value).toBeUndefined();
    expect(body.data.oldValue.fields).toEqual({ v: { integerValue: "1" } });
    expect(body.context.resource.name).toBe(`projects/${project}/databases/(default)/documents/users/u2`);
  });

  it("each function gets its events in commit order, and a slow one holds back no other", async () => {
    const subjects = (fn: string) =>
      deliveries.filter((d) => d.url.endsWith(`${fn}-0`)).map((d) => d.headers["ce-subject"]);
    await db.doc("items/a").set({ n: 1 });
    await db.doc("items/b").set({ n: 2 });
    await db.doc("items/a").set({ n: 3 });
    // The fast function has all three events while the slow one has not answered its first.
    const deadline = Date.now() + 5000;
    while (subjects("fastItems").length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(subjects("fastItems")).toEqual(["documents/items/a", "documents/items/b", "documents/items/a"]);
    expect(subjects("slowItems")).toEqual(["documents/items/a"]);
    // Released one by one, the slow function's events follow in commit order.
    while (subjects("slowItems").length < 3 || held.length > 0) {
      held.shift()?.();
      await new Promise((r) => setTimeout(r, 10));
    }
    await emulator.triggersIdle();
    expect(subjects("slowItems")).toEqual(["documents/items/a", "documents/items/b", "documents/items/a"]);
  });

  it("registration: unknown event types are refused", async () => {
    const res = await fetch(
      `http://${emulator.host}:${emulator.port}/emulator/v1/projects/${project}/eventarcTrigger?eventarcTriggerId=x`,
      {
        method: "POST",
        body: JSON.stringify({
          eventType: "google.cloud.storage.object.v1.finalized",
          document: { value: "a/{b}" },
        }),
      },
    );
    expect(res.status).toBe(400);
  });
});
