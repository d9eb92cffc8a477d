import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { admin, adminFirestore } from "./helpers/admin.js";

let emu: TestEmulator;
let db: ReturnType<typeof adminFirestore>;

beforeAll(async () => {
  emu = await startTestEmulator();
  db = adminFirestore(emu);
});
afterAll(async () => {
  await db.terminate();
  await emu.stop();
});

describe("admin: documents", () => {
  it("set/get: round-trips every value type", async () => {
    const ref = db.doc("basics/all");
    const data = {
      n: null,
      b: true,
      i: 42,
      d: 1.5,
      ts: admin.Timestamp.fromMillis(1_700_000_000_123),
      s: "héllo",
      bytes: Buffer.from([1, 2, 3]),
      ref: db.doc("x/y"),
      geo: new admin.GeoPoint(1, 2),
      arr: [1, "a", { m: true }],
      map: { nested: { deep: "v" } },
      vec: admin.FieldValue.vector([1, 2, 3]),
    };
    await ref.set(data);
    const snap = await ref.get();
    expect(snap.exists).toBe(true);
    const got = snap.data()!;
    expect(got.n).toBeNull();
    expect(got.i).toBe(42);
    expect(got.d).toBe(1.5);
    expect(got.ts.toMillis()).toBe(1_700_000_000_123);
    expect(got.s).toBe("héllo");
    expect(Buffer.from(got.bytes)).toEqual(Buffer.from([1, 2, 3]));
    expect(got.ref.path).toBe("x/y");
    expect(got.geo.latitude).toBe(1);
    expect(got.arr).toEqual([1, "a", { m: true }]);
    expect(got.map).toEqual({ nested: { deep: "v" } });
    expect(got.vec.toArray()).toEqual([1, 2, 3]);
    expect(snap.createTime!.isEqual(snap.updateTime!)).toBe(true);
  });

  it("get: a missing document does not exist", async () => {
    const snap = await db.doc("basics/missing").get();
    expect(snap.exists).toBe(false);
  });

  it("create: fails with ALREADY_EXISTS on an existing document", async () => {
    await db.doc("basics/c1").create({ a: 1 });
    await expect(db.doc("basics/c1").create({ a: 2 })).rejects.toMatchObject({ code: 6 });
    expect((await db.doc("basics/c1").get()).data()).toEqual({ a: 1 });
  });

  it("update: fails with NOT_FOUND on a missing document, and merges dotted paths", async () => {
    await expect(db.doc("basics/nope").update({ a: 1 })).rejects.toMatchObject({ code: 5 });
    const ref = db.doc("basics/u1");
    await ref.set({ a: 1, m: { x: 1, y: 2 }, gone: true });
    await ref.update({ "m.x": 10, gone: admin.FieldValue.delete(), b: 2 });
    expect((await ref.get()).data()).toEqual({ a: 1, m: { x: 10, y: 2 }, b: 2 });
  });

  it("set merge: keeps other fields", async () => {
    const ref = db.doc("basics/m1");
    await ref.set({ a: 1, m: { x: 1 } });
    await ref.set({ m: { y: 2 }, c: 3 }, { merge: true });
    expect((await ref.get()).data()).toEqual({ a: 1, m: { x: 1, y: 2 }, c: 3 });
  });

  it("delete: honours exists and lastUpdateTime preconditions", async () => {
    const ref = db.doc("basics/d1");
    await expect(ref.delete({ exists: true })).rejects.toMatchObject({ code: 5 });
    const write = await ref.set({ a: 1 });
    await expect(ref.delete({ lastUpdateTime: admin.Timestamp.fromMillis(1000) })).rejects.toMatchObject({
      code: 9,
    });
    await ref.delete({ lastUpdateTime: write.writeTime });
    expect((await ref.get()).exists).toBe(false);
  });

  it("transforms: serverTimestamp, increment, arrayUnion, arrayRemove, max/min", async () => {
    const ref = db.doc("basics/t1");
    await ref.set({ n: 1, f: 1.5, arr: ["a", 1] });
    const before = Date.now();
    await ref.update({
      at: admin.FieldValue.serverTimestamp(),
      n: admin.FieldValue.increment(2),
      f: admin.FieldValue.increment(1),
      fresh: admin.FieldValue.increment(5),
      arr: admin.FieldValue.arrayUnion("a", "b"),
    });
    let data = (await ref.get()).data()!;
    expect(data.at.toMillis()).toBeGreaterThanOrEqual(before - 5);
    expect(data).toMatchObject({ n: 3, f: 2.5, fresh: 5, arr: ["a", 1, "b"] });
    await ref.update({ arr: admin.FieldValue.arrayRemove("a", 1) });
    data = (await ref.get()).data()!;
    expect(data.arr).toEqual(["b"]);
  });

  it("getAll: returns found and missing documents in request order", async () => {
    await db.doc("basics/ga1").set({ v: 1 });
    const snaps = await db.getAll(db.doc("basics/ga-missing"), db.doc("basics/ga1"));
    expect(snaps.map((s) => [s.id, s.exists])).toEqual([
      ["ga-missing", false],
      ["ga1", true],
    ]);
  });

  it("batch: applies all writes atomically, or none on a failed precondition", async () => {
    const batch = db.batch();
    batch.set(db.doc("basics/b1"), { v: 1 });
    batch.set(db.doc("basics/b2"), { v: 2 });
    await batch.commit();
    const bad = db.batch();
    bad.set(db.doc("basics/b3"), { v: 3 });
    bad.update(db.doc("basics/never"), { v: 4 });
    await expect(bad.commit()).rejects.toMatchObject({ code: 5 });
    expect((await db.doc("basics/b3").get()).exists).toBe(false);
    expect((await db.doc("basics/b2").get()).data()).toEqual({ v: 2 });
  });
});

describe("admin: queries and transactions", () => {
  beforeAll(async () => {
    const batch = db.batch();
    for (let i = 0; i < 10; i++)
      batch.set(db.doc(`q/${String(i).padStart(2, "0")}`), { i, even: i % 2 === 0 });
    await batch.commit();
  });

  it("query: where + orderBy + limit", async () => {
    const snap = await db.collection("q").where("even", "==", true).orderBy("i", "desc").limit(3).get();
    expect(snap.docs.map((d) => d.get("i"))).toEqual([8, 6, 4]);
  });

  it("transaction: read-modify-write", async () => {
    const ref = db.doc("q/counter");
    await ref.set({ n: 0 });
    await db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      tx.update(ref, { n: snap.get("n") + 1 });
    });
    expect((await ref.get()).get("n")).toBe(1);
  });
});
