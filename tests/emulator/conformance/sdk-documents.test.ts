/**
 * sdk_documents.json: what firebase-admin saw against the official emulator for a sequence of document
 * operations. Each step here performs the operation the step's name describes and is compared with the
 * recorded outcome (values, or the error code; error texts are the Java emulator's own).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../../support/emulator.js";
import { admin, adminFirestore } from "../helpers/admin.js";
import { officialFixture } from "./official.js";

type Step = { name: string; ok?: unknown; error?: { code: number; message: string } };
const recorded = new Map(officialFixture<Step[]>("sdk_documents.json").map((s) => [s.name, s]));

let emu: TestEmulator;
let db: ReturnType<typeof adminFirestore>;
const { FieldValue, Timestamp } = admin;

beforeAll(async () => {
  emu = await startTestEmulator();
  db = adminFirestore(emu);
});
afterAll(async () => {
  await db.terminate();
  await emu.stop();
});

/** Runs the operation and compares its result (or error code) with the recording of the same name. */
async function step(name: string, run: () => Promise<unknown>): Promise<void> {
  const expected = recorded.get(name);
  if (!expected) throw new Error(`no recorded step "${name}"`);
  try {
    const result = await run();
    expect(expected.error, `${name} should fail`).toBeUndefined();
    expect(result, name).toEqual(expected.ok);
  } catch (error) {
    if (!expected.error) throw error;
    expect((error as { code: number }).code, name).toBe(expected.error.code);
  }
}

describe("conformance: sdk_documents.json (official emulator via firebase-admin)", () => {
  it("replays every recorded step in order", async () => {
    const alice = db.doc("users/alice");
    let aliceWrite: FirebaseFirestore.WriteResult | null = null;
    await step("set alice", async () => {
      aliceWrite = await alice.set({ name: "Alice", age: 30, tags: ["a", "b"], nested: { x: 1 } });
      return "ok";
    });
    await step("get alice", async () => {
      const snap = await alice.get();
      return {
        exists: snap.exists,
        data: snap.data(),
        createEqualsUpdate: snap.createTime!.isEqual(snap.updateTime!),
        updateEqualsWrite: snap.updateTime!.isEqual(aliceWrite!.writeTime),
      };
    });
    await step("update dotted", async () => {
      await alice.update({ age: 31, "nested.y": 2 });
      return (await alice.get()).data();
    });
    await step("set merge", async () => {
      await alice.set({ city: "Tokyo", nested: { z: 3 } }, { merge: true });
      return (await alice.get()).data();
    });
    await step("create existing", () => alice.create({ name: "again" }));
    await step("update missing", () => db.doc("users/nobody").update({ a: 1 }));
    await step("delete with stale lastUpdateTime", () =>
      alice.delete({ lastUpdateTime: Timestamp.fromMillis(1000) }),
    );
    await step("identical set keeps updateTime", async () => {
      const before = await alice.get();
      const write = await alice.set(before.data()!);
      const after = await alice.get();
      return {
        writeTimeIsOldUpdateTime: write.writeTime.isEqual(before.updateTime!),
        updateTimeUnchanged: after.updateTime!.isEqual(before.updateTime!),
      };
    });
    await step("getAll", async () => {
      const snaps = await db.getAll(db.doc("users/nobody"), alice);
      return snaps.map((s) => ({ id: s.id, exists: s.exists }));
    });
    await step("batch", async () => {
      const batch = db.batch();
      batch.set(db.doc("users/bob"), { name: "Bob" });
      batch.set(db.doc("users/carol"), { name: "Carol" });
      batch.update(db.doc("users/carol"), { age: 40 });
      batch.delete(alice);
      batch.set(db.doc("users/bob/posts/p1"), { title: "hi" });
      return (await batch.commit()).length;
    });
    await step("listDocuments users", async () =>
      (await db.collection("users").listDocuments()).map((d) => d.id),
    );
    await step("listDocuments ghosts (missing parent)", async () => {
      await db.doc("ghosts/g/sub/x").set({ v: 1 });
      return (await db.collection("ghosts").listDocuments()).map((d) => d.id);
    });
    await step("listCollections root", async () => (await db.listCollections()).map((c) => c.id).sort());
    await step("listCollections bob", async () =>
      (await db.doc("users/bob").listCollections()).map((c) => c.id),
    );
    await step("bulkWriter", async () => {
      const writer = db.bulkWriter();
      writer.onWriteError(() => false);
      const pending = Promise.allSettled([
        writer.set(db.doc("users/dave"), { name: "Dave" }),
        writer.create(db.doc("users/bob"), { name: "Bob again" }),
        writer.update(db.doc("users/nobody"), { a: 1 }),
        writer.delete(db.doc("users/carol")),
      ]);
      await writer.close();
      return (await pending).map((r) =>
        r.status === "fulfilled" ? "ok" : `error ${(r.reason as { code: number }).code}`,
      );
    });
    await step("after bulkWriter", async () =>
      (await db.collection("users").listDocuments()).map((d) => d.id),
    );
    await step("serverTimestamp", async () => {
      const ref = db.doc("t/server");
      const write = await ref.set({
        at: FieldValue.serverTimestamp(),
        nested: { at: FieldValue.serverTimestamp() },
      });
      const data = (await ref.get()).data()!;
      return {
        isTimestamp: data.at instanceof Timestamp,
        millisecondPrecision: data.at.nanoseconds % 1_000_000 === 0,
        notAfterWrite: data.at.toMillis() <= write.writeTime.toMillis(),
        sameInNested: data.at.isEqual(data.nested.at),
      };
    });
    await step("increment", async () => {
      const ref = db.doc("t/inc");
      await ref.set({ n: 1, f: 1.5 });
      await ref.update({
        n: FieldValue.increment(2),
        f: FieldValue.increment(1),
        fresh: FieldValue.increment(5),
      });
      return (await ref.get()).data();
    });
    await step("arrayUnion and arrayRemove", async () => {
      const ref = db.doc("t/arr");
      await ref.set({ list: ["a", 1] });
      await ref.update({ list: FieldValue.arrayUnion("a", "b") });
      const afterUnion = (await ref.get()).get("list");
      await ref.update({ list: FieldValue.arrayRemove("a", 1) });
      return { afterUnion, afterRemove: (await ref.get()).get("list") };
    });
    await step("FieldValue.delete", async () => {
      const ref = db.doc("t/del");
      await ref.set({ keep: 1, gone: 2, m: { x: 1, y: 2 } });
      await ref.update({ gone: FieldValue.delete(), "m.x": FieldValue.delete() });
      return (await ref.get()).data();
    });
    await step("merge with transforms", async () => {
      const ref = db.doc("t/merge");
      await ref.set({ a: 1, b: 1, list: ["x"] });
      await ref.set({ b: FieldValue.increment(2), list: FieldValue.arrayUnion("y") }, { merge: true });
      return (await ref.get()).data();
    });
  });
});
