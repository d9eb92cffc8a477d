/**
 * Storage trigger delivery: registrations through the emulator endpoint, and object events POSTed as
 * v2 CloudEvents to a local server standing in for the Functions emulator, in order and without
 * holding up the request that caused them.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { deleteObject, ref, updateMetadata, uploadString } from "firebase/storage";
import { onObjectFinalized, type StorageEvent } from "firebase-functions/storage";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  adminBucket,
  OPEN_RULES,
  type StorageTestEmulator,
  startStorageEmulator,
  webStorage,
} from "./helpers.js";

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

let functions: Server;
let received: Received[] = [];
let release: (() => void) | null = null;
let hold = false;
let emu: StorageTestEmulator;

beforeAll(async () => {
  functions = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        url: req.url ?? "",
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
      });
      const answer = () => res.writeHead(200).end();
      // Only the function named "slow" is held: the others answer at once.
      if (hold && req.url?.includes("slow")) release = answer;
      else answer();
    });
  });
  await new Promise<void>((resolve) => functions.listen(0, "127.0.0.1", resolve));
  const port = (functions.address() as AddressInfo).port;
  emu = await startStorageEmulator({ rulesSource: OPEN_RULES, functionsEmulator: `127.0.0.1:${port}` });
});

afterAll(async () => {
  await emu.stop();
  await new Promise((resolve) => functions.close(resolve));
});

beforeEach(async () => {
  received = [];
  hold = false;
  const base = `http://${emu.host}:${emu.storagePort}/emulator/v1/projects/${emu.projectId}/storageTriggers`;
  expect((await fetch(base, { method: "DELETE" })).status).toBe(200);
});

async function register(triggerId: string, eventType: string, bucket = emu.bucket): Promise<Response> {
  return fetch(
    `http://${emu.host}:${emu.storagePort}/emulator/v1/projects/${emu.projectId}/storageTriggers`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ triggerId, eventType, bucket }),
    },
  );
}

describe("storage triggers", () => {
  it("delivers finalized, metadataUpdated and deleted events as CloudEvents, in order", async () => {
    for (const [id, type] of [
      ["us-central1-onFileUploaded", "google.cloud.storage.object.v1.finalized"],
      ["us-central1-onFileChanged", "google.cloud.storage.object.v1.metadataUpdated"],
      ["us-central1-onFileDeleted", "google.cloud.storage.object.v1.deleted"],
      ["us-central1-otherBucket", "google.cloud.storage.object.v1.finalized"],
    ] as const) {
      expect((await register(id, type, id.endsWith("otherBucket") ? "elsewhere" : emu.bucket)).status).toBe(
        200,
      );
    }
    const web = webStorage(emu, { uid: "mia" });
    try {
      const r = ref(web.storage, "orgs/acme/files/f1");
      await uploadString(r, "hello", "raw", {
        contentType: "text/plain",
        customMetadata: { uploadedBy: "mia" },
      });
      await updateMetadata(r, { customMetadata: { note: "x" } });
      await deleteObject(r);
    } finally {
      await web.close();
    }
    await emu.emulator.triggersIdle();
    expect(received.map((r) => r.url)).toEqual([
      `/functions/projects/${emu.projectId}/triggers/us-central1-onFileUploaded`,
      `/functions/projects/${emu.projectId}/triggers/us-central1-onFileChanged`,
      `/functions/projects/${emu.projectId}/triggers/us-central1-onFileDeleted`,
    ]);
    const [finalized, updated, deleted] = received as [Received, Received, Received];
    expect(finalized.headers["content-type"]).toBe("application/cloudevents+json; charset=utf-8");
    expect(finalized.body).toMatchObject({
      specversion: "1.0",
      type: "google.cloud.storage.object.v1.finalized",
      source: `//storage.googleapis.com/projects/_/buckets/${emu.bucket}`,
      subject: "objects/orgs/acme/files/f1",
      bucket: emu.bucket,
      id: expect.any(String),
      time: expect.any(String),
    });
    const data = finalized.body.data as Record<string, unknown>;
    expect(data).toMatchObject({
      kind: "storage#object",
      name: "orgs/acme/files/f1",
      bucket: emu.bucket,
      size: "5",
      contentType: "text/plain",
      metageneration: "1",
      md5Hash: "XUFAKrxLKna5cZ2REBfFkg==",
      crc32c: expect.any(String),
      etag: expect.any(String),
      storageClass: "STANDARD",
      id: `${emu.bucket}/orgs/acme/files/f1/${data.generation}`,
      metadata: { uploadedBy: "mia" },
    });
    expect(data.timeCreated).toBe(finalized.body.time);
    expect(data.selfLink).toMatch(/\/storage\/v1\/b\/.+\/o\/orgs%2Facme%2Ffiles%2Ff1$/);
    expect(data.mediaLink).toMatch(/alt=media/);
    expect((updated.body.data as Record<string, unknown>).metageneration).toBe("2");
    expect((updated.body.data as { metadata: Record<string, string> }).metadata.note).toBe("x");
    expect(deleted.body.type).toBe("google.cloud.storage.object.v1.deleted");
    // A deletion is dated when it happens, not when the object was last changed.
    expect(Date.parse(deleted.body.time as string)).toBeGreaterThanOrEqual(
      Date.parse(updated.body.time as string),
    );
    expect((deleted.body.data as Record<string, unknown>).generation).toBe(data.generation);
  });

  it("a deployed onObjectFinalized function reads the delivered event as in production", async () => {
    await register("onFinalized", "google.cloud.storage.object.v1.finalized");
    const seen: StorageEvent[] = [];
    // What the Functions emulator's runtime does with a structured CloudEvent: parse it, call the function.
    const fn = onObjectFinalized(emu.bucket, (event) => {
      seen.push(event);
    });
    const admin = adminBucket(emu);
    try {
      await admin.bucket.file("uploads/photo.png").save(Buffer.alloc(300), {
        resumable: false,
        contentType: "image/png",
        metadata: { metadata: { uploadedBy: "srv" } },
      });
      await emu.emulator.triggersIdle();
      await fn(received[0]!.body as unknown as StorageEvent);
    } finally {
      await admin.close();
    }
    const [event] = seen;
    expect(event?.bucket).toBe(emu.bucket);
    expect(event?.data).toMatchObject({
      name: "uploads/photo.png",
      contentType: "image/png",
      metadata: { uploadedBy: "srv" },
    });
    expect(Number(event?.data.size)).toBe(300);
    expect(String(event?.data.generation)).toMatch(/^\d+$/);
  });

  it("uploads do not wait for the function, and events stay in order behind a slow one, which holds back no other", async () => {
    await register("slow", "google.cloud.storage.object.v1.finalized");
    await register("fast", "google.cloud.storage.object.v1.finalized");
    const names = (fn: string) =>
      received.filter((r) => r.url.endsWith(`/${fn}`)).map((r) => (r.body.data as { name: string }).name);
    hold = true;
    const admin = adminBucket(emu);
    try {
      await admin.bucket.file("a.txt").save("a", { resumable: false });
      await admin.bucket.file("b.txt").save("b", { resumable: false });
      // Both uploads finished while the first event is still unanswered; the second waits behind it,
      // and the other function has both.
      while (!release || names("fast").length < 2) await new Promise((r) => setTimeout(r, 10));
      expect(names("slow")).toEqual(["a.txt"]);
      expect(names("fast")).toEqual(["a.txt", "b.txt"]);
      hold = false;
      release();
      await emu.emulator.triggersIdle();
      expect(names("slow")).toEqual(["a.txt", "b.txt"]);
    } finally {
      release = null;
      await admin.close();
    }
  });

  it("a bad registration is refused with a reason", async () => {
    const res = await register("x", "google.cloud.storage.object.v1.created");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /eventType must be one of/,
    );
    const missing = await fetch(
      `http://${emu.host}:${emu.storagePort}/emulator/v1/projects/${emu.projectId}/storageTriggers`,
      { method: "POST", body: "{}" },
    );
    expect(missing.status).toBe(400);
  });
});
