/** Firestore's limits and validation errors, answered with Firestore's codes, and changing nothing. */
import { doc, getDoc, runTransaction, setDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { adminFirestore } from "./helpers/admin.js";
import { FirestoreRpc } from "./helpers/grpc.js";
import { type WebClient, webFirestore } from "./helpers/web.js";

let emu: TestEmulator;
let rpc: FirestoreRpc;
let web: WebClient;
let db: ReturnType<typeof adminFirestore>;

beforeAll(async () => {
  emu = await startTestEmulator();
  rpc = new FirestoreRpc(emu);
  web = webFirestore(emu);
  db = adminFirestore(emu);
});
afterAll(async () => {
  rpc.close();
  await web.close();
  await db.terminate();
  await emu.stop();
});

const name = (path: string) => `projects/${emu.projectId}/databases/(default)/documents/${path}`;
const commit = (fields: Record<string, unknown>, path = "limits/d") =>
  rpc.unary("Commit", {
    database: `projects/${emu.projectId}/databases/(default)`,
    writes: [{ update: { name: name(path), fields } }],
  });

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { stringValue: "leaf" };
  for (let i = 0; i < depth; i++) value = { mapValue: { fields: { m: value } } };
  return value;
}

describe("limits", () => {
  it("document size: just under 1 MiB is stored, over it is INVALID_ARGUMENT (admin and JS SDK)", async () => {
    const fits = "x".repeat(1_048_576 - 200);
    await db.doc("limits/fits").set({ s: fits });
    expect((await db.doc("limits/fits").get()).get("s")).toHaveLength(fits.length);
    const tooBig = "x".repeat(1_048_576);
    await expect(db.doc("limits/big").set({ s: tooBig })).rejects.toMatchObject({ code: 3 });
    await expect(setDoc(doc(web.db, "limits/big"), { s: tooBig })).rejects.toMatchObject({
      code: "invalid-argument",
    });
    expect((await db.doc("limits/big").get()).exists).toBe(false);
  });

  it("map nesting: depth 20 is accepted, deeper is INVALID_ARGUMENT", async () => {
    expect((await commit({ top: nested(19) })).ok).toBe(true);
    const result = await commit({ top: nested(20) }, "limits/deep");
    expect(result.code).toBe(3);
    expect((await db.doc("limits/deep").get()).exists).toBe(false);
  });

  it("request size: a commit over 10 MiB is INVALID_ARGUMENT and applies nothing", async () => {
    const s = { stringValue: "y".repeat(1_000_000) };
    const writes = Array.from({ length: 11 }, (_, i) => ({
      update: { name: name(`bulk/${i}`), fields: { s } },
    }));
    const result = await rpc.unary("Commit", {
      database: `projects/${emu.projectId}/databases/(default)`,
      writes,
    });
    expect(result.code).toBe(3);
    expect(result.message).toMatch(/payload size exceeds the limit/);
    expect((await db.collection("bulk").get()).size).toBe(0);
  });

  it("field and document names: reserved names, empty ids and nested arrays are INVALID_ARGUMENT", async () => {
    expect((await commit({ __name__: { stringValue: "x" } })).code).toBe(3);
    expect((await commit({ a: { arrayValue: { values: [{ arrayValue: {} }] } } })).message).toBe(
      "Nested arrays are not allowed",
    );
    expect((await commit({ a: { integerValue: "1" } }, "limits/__reserved__")).code).toBe(3);
    expect((await commit({ a: { integerValue: "1" } }, "limits")).code).toBe(3);
    expect((await commit({ t: { timestampValue: { seconds: 253402300800, nanos: 0 } } })).code).toBe(3);
    expect((await commit({ g: { geoPointValue: { latitude: 91, longitude: 0 } } })).code).toBe(3);
  });

  it("a write to another project's name in a commit is INVALID_ARGUMENT", async () => {
    const result = await rpc.unary("Commit", {
      database: `projects/${emu.projectId}/databases/(default)`,
      writes: [{ update: { name: "projects/elsewhere/databases/(default)/documents/a/b", fields: {} } }],
    });
    expect(result.code).toBe(3);
  });
});

describe("JS SDK error codes", () => {
  it("already-exists: a transaction creating a document someone else created first", async () => {
    const ref = doc(web.db, "codes/created");
    const run = runTransaction(
      web.db,
      async (tx) => {
        await tx.get(ref);
        await db.doc("codes/created").set({ by: "admin" });
        tx.set(ref, { by: "web" });
      },
      { maxAttempts: 1 },
    );
    await expect(run).rejects.toMatchObject({ code: "already-exists" });
    expect((await getDoc(ref)).get("by")).toBe("admin");
  });

  it("failed-precondition: a transaction updating a document changed since it was read", async () => {
    const ref = doc(web.db, "codes/changed");
    await setDoc(ref, { n: 1 });
    const run = runTransaction(
      web.db,
      async (tx) => {
        await tx.get(ref);
        await db.doc("codes/changed").set({ n: 100 });
        tx.update(ref, { n: 2 });
      },
      { maxAttempts: 1 },
    );
    await expect(run).rejects.toMatchObject({ code: "failed-precondition" });
    expect((await getDoc(ref)).get("n")).toBe(100);
  });

  it("aborted: an admin transaction that loses a lock to an older one is aborted (code 10) when retries run out", async () => {
    // Server-SDK transactions lock what they read; in a lock cycle the younger one is aborted.
    const [a, b] = [db.doc("codes/lock-a"), db.doc("codes/lock-b")];
    await a.set({ n: 1 });
    await b.set({ n: 1 });
    let olderRead!: () => void;
    const olderHasA = new Promise<void>((r) => (olderRead = r));
    let youngerRead!: () => void;
    const youngerHasB = new Promise<void>((r) => (youngerRead = r));
    const older = db.runTransaction(async (tx) => {
      await tx.get(a);
      olderRead();
      await youngerHasB;
      await tx.get(b);
      tx.update(a, { n: 2 });
    });
    await olderHasA;
    const younger = db.runTransaction(
      async (tx) => {
        await tx.get(b);
        youngerRead();
        await tx.get(a);
        tx.update(b, { n: 3 });
      },
      { maxAttempts: 1 },
    );
    await expect(younger).rejects.toMatchObject({ code: 10 });
    await older;
    expect((await a.get()).get("n")).toBe(2);
    expect((await b.get()).get("n")).toBe(1);
  });
});
