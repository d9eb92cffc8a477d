/**
 * Reads at a past read time see the data as it was then (production serves the last hour), through
 * firebase-admin: read-only transactions with a readTime, getAll and queries in them, and the consistent
 * snapshot of a read-only transaction without one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireObject as Raw } from "../../emulator/src/wire/object.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { admin, adminFirestore } from "./helpers/admin.js";
import { FirestoreRpc } from "./helpers/grpc.js";

let emu: TestEmulator;
let db: ReturnType<typeof adminFirestore>;
let rpc: FirestoreRpc;

beforeAll(async () => {
  emu = await startTestEmulator();
  db = adminFirestore(emu);
  rpc = new FirestoreRpc(emu);
});
afterAll(async () => {
  await db.terminate();
  rpc.close();
  await emu.stop();
});

describe("reads at a past read time", () => {
  it("documents and queries read at a commit's time see that commit's data, not later writes", async () => {
    const a = db.doc("history/a");
    const first = await a.set({ v: 1, tag: "x" });
    const second = await db.doc("history/b").set({ v: 1, tag: "x" });
    await a.set({ v: 2, tag: "x" });
    await db.doc("history/b").delete();
    await db.doc("history/c").set({ v: 1, tag: "x" });

    const atFirst = first.writeTime;
    const atSecond = second.writeTime;
    const [snapA, snapB] = await db.runTransaction((tx) => tx.getAll(a, db.doc("history/b")), {
      readOnly: true,
      readTime: atSecond,
    });
    expect(snapA!.get("v")).toBe(1);
    expect(snapB!.exists).toBe(true);
    expect(snapA!.readTime.isEqual(atSecond)).toBe(true);

    const before = await db.runTransaction((tx) => tx.get(db.doc("history/b")), {
      readOnly: true,
      readTime: atFirst,
    });
    expect(before.exists).toBe(false);

    const query = db.collection("history").where("tag", "==", "x");
    const past = await db.runTransaction((tx) => tx.get(query), { readOnly: true, readTime: atSecond });
    expect(past.docs.map((d) => [d.id, d.get("v")])).toEqual([
      ["a", 1],
      ["b", 1],
    ]);
    const count = await db.runTransaction((tx) => tx.get(query.count()), {
      readOnly: true,
      readTime: atSecond,
    });
    expect(count.data().count).toBe(2);
    const now = await query.get();
    expect(now.docs.map((d) => [d.id, d.get("v")])).toEqual([
      ["a", 2],
      ["c", 1],
    ]);
  });

  it("a read-only transaction reads one snapshot: a write after its first read is not seen by later reads", async () => {
    const x = db.doc("snapshot/x");
    const y = db.doc("snapshot/y");
    await x.set({ v: 1 });
    await y.set({ v: 1 });
    const [vx, vy] = await db.runTransaction(
      async (tx) => {
        const sx = await tx.get(x);
        await y.set({ v: 2 });
        const sy = await tx.get(y);
        return [sx.get("v"), sy.get("v")];
      },
      { readOnly: true },
    );
    expect([vx, vy]).toEqual([1, 1]);
    expect((await y.get()).get("v")).toBe(2);
  });

  it("a read time older than an hour is refused with FAILED_PRECONDITION", async () => {
    const database = `projects/${emu.projectId}/databases/(default)`;
    const old = admin.Timestamp.fromMillis(Date.now() - 2 * 60 * 60 * 1000);
    const result = await rpc.stream("BatchGetDocuments", {
      database,
      documents: [`${database}/documents/history/a`],
      readTime: { seconds: old.seconds, nanos: 0 },
    });
    expect(result.code).toBe(9);
    expect(result.message).toMatch(/too old/);
    expect(result.response as Raw[]).toEqual([]);
  });
});
