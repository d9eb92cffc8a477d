import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { admin, adminFirestore } from "./helpers/admin.js";

let emu: TestEmulator;
let db: ReturnType<typeof adminFirestore>;
const { FieldPath, Filter, AggregateField } = admin;

beforeAll(async () => {
  emu = await startTestEmulator();
  db = adminFirestore(emu);
  const batch = db.batch();
  const cities = [
    { id: "sf", name: "San Francisco", state: "CA", pop: 860000, tags: ["west", "coast"], capital: false },
    { id: "la", name: "Los Angeles", state: "CA", pop: 3900000, tags: ["west", "coast"], capital: false },
    { id: "dc", name: "Washington", state: null, pop: 680000, tags: ["east"], capital: true },
    { id: "tok", name: "Tokyo", state: null, pop: 9000000, tags: ["asia"], capital: true },
    { id: "bj", name: "Beijing", state: null, pop: Number.NaN, tags: ["asia"], capital: true },
    { id: "nopop", name: "Nowhere", state: "NV" },
  ];
  for (const { id, ...data } of cities) batch.set(db.doc(`cities/${id}`), data);
  batch.set(db.doc("cities/sf/landmarks/bridge"), { name: "Golden Gate", type: "bridge" });
  batch.set(db.doc("cities/tok/landmarks/tower"), { name: "Tokyo Tower", type: "tower" });
  batch.set(db.doc("other/x/landmarks/y"), { name: "Elsewhere", type: "bridge" });
  await batch.commit();
});
afterAll(async () => {
  await db.terminate();
  await emu.stop();
});

const ids = (snap: { docs: Array<{ id: string }> }) => snap.docs.map((d) => d.id);

describe("admin queries: filters", () => {
  it("==, !=, <, <=, >, >= on numbers (missing and NaN fields excluded from ranges)", async () => {
    const c = db.collection("cities");
    expect(ids(await c.where("pop", ">", 1_000_000).get())).toEqual(["la", "tok"]);
    expect(ids(await c.where("pop", ">=", 860000).orderBy("pop").get())).toEqual(["sf", "la", "tok"]);
    expect(ids(await c.where("pop", "<", 700000).get())).toEqual(["bj", "dc"]);
    expect(ids(await c.where("pop", "<=", 680000).where("pop", ">", 0).get())).toEqual(["dc"]);
    expect(ids(await c.where("state", "==", "CA").get())).toEqual(["la", "sf"]);
    expect(ids(await c.where("state", "!=", "CA").get())).toEqual(["nopop"]);
  });

  it("is null, is NaN and their negations", async () => {
    const c = db.collection("cities");
    expect(ids(await c.where("state", "==", null).get())).toEqual(["bj", "dc", "tok"]);
    expect(ids(await c.where("pop", "==", Number.NaN).get())).toEqual(["bj"]);
    expect(ids(await c.where("state", "!=", null).get())).toEqual(["la", "sf", "nopop"]);
    expect(ids(await c.where("pop", "!=", Number.NaN).orderBy("pop").get())).toEqual([
      "dc",
      "sf",
      "la",
      "tok",
    ]);
  });

  it("array-contains, array-contains-any, in, not-in", async () => {
    const c = db.collection("cities");
    expect(ids(await c.where("tags", "array-contains", "asia").get())).toEqual(["bj", "tok"]);
    expect(ids(await c.where("tags", "array-contains-any", ["east", "asia"]).get())).toEqual([
      "bj",
      "dc",
      "tok",
    ]);
    expect(ids(await c.where("state", "in", ["CA", "NV"]).get())).toEqual(["la", "nopop", "sf"]);
    expect(ids(await c.where("state", "not-in", ["CA"]).get())).toEqual(["nopop"]);
  });

  it("composite AND/OR filters", async () => {
    const c = db.collection("cities");
    const or = await c
      .where(Filter.or(Filter.where("state", "==", "NV"), Filter.where("name", "==", "Tokyo")))
      .get();
    expect(ids(or)).toEqual(["nopop", "tok"]);
    // An inequality orders by its field, which drops documents without it, even inside an OR.
    const withRange = await c
      .where(Filter.or(Filter.where("state", "==", "NV"), Filter.where("pop", ">", 5_000_000)))
      .get();
    expect(ids(withRange)).toEqual(["tok"]);
    const and = await c
      .where(
        Filter.and(
          Filter.where("capital", "==", true),
          Filter.or(Filter.where("tags", "array-contains", "east"), Filter.where("name", "==", "Tokyo")),
        ),
      )
      .get();
    expect(ids(and)).toEqual(["dc", "tok"]);
  });

  it("documentId filters and ordering", async () => {
    const snap = await db
      .collection("cities")
      .where(FieldPath.documentId(), ">=", "la")
      .orderBy(FieldPath.documentId(), "desc")
      .get();
    expect(ids(snap)).toEqual(["tok", "sf", "nopop", "la"]);
  });
});

describe("admin queries: order, cursors, limits, projections", () => {
  it("orderBy excludes documents missing the field; implicit __name__ breaks ties", async () => {
    expect(ids(await db.collection("cities").orderBy("capital").get())).toEqual([
      "la",
      "sf",
      "bj",
      "dc",
      "tok",
    ]);
    expect(ids(await db.collection("cities").orderBy("capital", "desc").get())).toEqual([
      "tok",
      "dc",
      "bj",
      "sf",
      "la",
    ]);
  });

  it("cursors: startAt/startAfter/endAt/endBefore, by value and by snapshot", async () => {
    const q = db.collection("cities").orderBy("name");
    expect(ids(await q.startAt("San Francisco").get())).toEqual(["sf", "tok", "dc"]);
    expect(ids(await q.startAfter("San Francisco").get())).toEqual(["tok", "dc"]);
    expect(ids(await q.endAt("Los Angeles").get())).toEqual(["bj", "la"]);
    expect(ids(await q.endBefore("Los Angeles").get())).toEqual(["bj"]);
    const la = await db.doc("cities/la").get();
    expect(ids(await q.startAfter(la).limit(2).get())).toEqual(["nopop", "sf"]);
  });

  it("limit, limitToLast and offset", async () => {
    const q = db.collection("cities").orderBy("name");
    expect(ids(await q.limit(2).get())).toEqual(["bj", "la"]);
    expect(ids(await q.limitToLast(2).get())).toEqual(["tok", "dc"]);
    expect(ids(await q.offset(4).get())).toEqual(["tok", "dc"]);
  });

  it("select returns only the chosen fields", async () => {
    const snap = await db.collection("cities").where("state", "==", "CA").select("name").get();
    expect(snap.docs.map((d) => d.data())).toEqual([{ name: "Los Angeles" }, { name: "San Francisco" }]);
  });

  it("collection-group queries, with filters", async () => {
    expect(ids(await db.collectionGroup("landmarks").get())).toEqual(["bridge", "tower", "y"]);
    const bridges = await db.collectionGroup("landmarks").where("type", "==", "bridge").get();
    expect(bridges.docs.map((d) => d.ref.path)).toEqual([
      "cities/sf/landmarks/bridge",
      "other/x/landmarks/y",
    ]);
  });

  it("aggregations: count, sum, average", async () => {
    const q = db.collection("cities").where("capital", "==", false);
    const snap = await q
      .aggregate({
        n: AggregateField.count(),
        total: AggregateField.sum("pop"),
        avg: AggregateField.average("pop"),
      })
      .get();
    expect(snap.data()).toEqual({ n: 2, total: 4_760_000, avg: 2_380_000 });
    expect((await db.collection("cities").count().get()).data().count).toBe(6);
    const none = await db
      .collection("cities")
      .where("state", "==", "NV")
      .aggregate({ avg: AggregateField.average("pop") })
      .get();
    expect(none.data().avg).toBeNull();
  });
});

describe("admin: listing, deleting, bulk writing", () => {
  it("listCollections and listDocuments (including missing parents)", async () => {
    await db.doc("ghosts/g/sub/x").set({ v: 1 });
    const root = (await db.listCollections()).map((c) => c.id);
    expect(root).toEqual(expect.arrayContaining(["cities", "ghosts", "other"]));
    expect((await db.doc("cities/sf").listCollections()).map((c) => c.id)).toEqual(["landmarks"]);
    expect((await db.collection("ghosts").listDocuments()).map((d) => d.id)).toEqual(["g"]);
  });

  it("BulkWriter reports per-write results", async () => {
    await db.doc("bulk/exists").set({ v: 1 });
    const writer = db.bulkWriter();
    writer.onWriteError(() => false);
    const pending = Promise.allSettled([
      writer.set(db.doc("bulk/a"), { v: 1 }),
      writer.create(db.doc("bulk/exists"), { v: 2 }),
      writer.update(db.doc("bulk/missing"), { v: 3 }),
      writer.delete(db.doc("bulk/exists")),
    ]);
    await writer.close();
    const results = await pending;
    expect(
      results.map((r) => (r.status === "fulfilled" ? "ok" : `error ${(r.reason as { code: number }).code}`)),
    ).toEqual(["ok", "error 6", "error 5", "ok"]);
  });

  it("recursiveDelete removes a document and everything below it", async () => {
    await db.doc("tree/root").set({ v: 1 });
    await db.doc("tree/root/kids/a").set({ v: 2 });
    await db.doc("tree/root/kids/a/grand/b").set({ v: 3 });
    await db.doc("tree/other").set({ v: 4 });
    await db.recursiveDelete(db.doc("tree/root"));
    expect((await db.collection("tree").get()).docs.map((d) => d.id)).toEqual(["other"]);
    expect((await db.collectionGroup("grand").get()).size).toBe(0);
  });
});

describe("admin: transactions", () => {
  it("read-write transactions retry on contention and stay consistent", async () => {
    const ref = db.doc("tx/counter");
    await ref.set({ n: 0 });
    await Promise.all(
      Array.from({ length: 5 }, () =>
        db.runTransaction(
          async (tx) => {
            const snap = await tx.get(ref);
            tx.update(ref, { n: snap.get("n") + 1 });
          },
          { maxAttempts: 20 },
        ),
      ),
    );
    expect((await ref.get()).get("n")).toBe(5);
  });

  it("a transaction whose query result changed is aborted and retried", async () => {
    let attempts = 0;
    await db.runTransaction(async (tx) => {
      attempts++;
      const snap = await tx.get(db.collection("txq"));
      if (attempts === 1) await db.doc("txq/intruder").set({ v: 1 });
      tx.set(db.doc("tx/summary"), { count: snap.size });
    });
    expect(attempts).toBe(2);
    expect((await db.doc("tx/summary").get()).get("count")).toBe(1);
  });

  it("read-only transactions read without committing", async () => {
    const value = await db.runTransaction(async (tx) => (await tx.get(db.doc("tx/counter"))).get("n"), {
      readOnly: true,
    });
    expect(value).toBe(5);
  });
});

describe("admin: onSnapshot", () => {
  it("query listener reports added, modified and removed changes", async () => {
    const changes: string[][] = [];
    let resolveNext: (() => void) | null = null;
    const unsubscribe = db
      .collection("watch")
      .where("on", "==", true)
      .onSnapshot((snap) => {
        changes.push(snap.docChanges().map((c) => `${c.type}:${c.doc.id}`));
        resolveNext?.();
      });
    const next = () => new Promise<void>((r) => (resolveNext = r));
    await next();
    let wait = next();
    await db.doc("watch/a").set({ on: true });
    await wait;
    wait = next();
    await db.doc("watch/a").update({ extra: 1 });
    await wait;
    wait = next();
    await db.doc("watch/a").update({ on: false });
    await wait;
    unsubscribe();
    expect(changes).toEqual([[], ["added:a"], ["modified:a"], ["removed:a"]]);
  });

  it("document listener sees create and delete", async () => {
    const states: boolean[] = [];
    let resolveNext: (() => void) | null = null;
    const unsubscribe = db.doc("watch/doc").onSnapshot((snap) => {
      states.push(snap.exists);
      resolveNext?.();
    });
    const next = () => new Promise<void>((r) => (resolveNext = r));
    await next();
    let wait = next();
    await db.doc("watch/doc").set({ v: 1 });
    await wait;
    wait = next();
    await db.doc("watch/doc").delete();
    await wait;
    unsubscribe();
    expect(states).toEqual([false, true, false]);
  });
});
