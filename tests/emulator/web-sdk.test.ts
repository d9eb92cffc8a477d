import {
  addDoc,
  arrayUnion,
  average,
  collection,
  type DocumentData,
  deleteDoc,
  doc,
  getAggregateFromServer,
  getCountFromServer,
  getDoc,
  getDocs,
  increment,
  limit,
  onSnapshot,
  orderBy,
  type QuerySnapshot,
  query,
  runTransaction,
  serverTimestamp,
  setDoc,
  sum,
  updateDoc,
  where,
  writeBatch,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { adminFirestore } from "./helpers/admin.js";
import { type WebClient, webFirestore } from "./helpers/web.js";

let emu: TestEmulator;
let web: WebClient;

beforeAll(async () => {
  emu = await startTestEmulator();
  web = webFirestore(emu);
});
afterAll(async () => {
  await web.close();
  await emu.stop();
});

function nextSnapshot<T>(
  subscribe: (cb: (value: T) => void) => () => void,
  accept: (value: T) => boolean,
): Promise<T> {
  return new Promise((resolve) => {
    const unsubscribe = subscribe((value) => {
      if (accept(value)) {
        queueMicrotask(() => unsubscribe());
        resolve(value);
      }
    });
  });
}

describe("JS SDK: documents over Listen and Write", () => {
  it("setDoc/getDoc: round trip with a server timestamp", async () => {
    const ref = doc(web.db, "web/a");
    await setDoc(ref, { name: "A", at: serverTimestamp(), n: 1 });
    const snap = await getDoc(ref);
    expect(snap.exists()).toBe(true);
    expect(snap.get("name")).toBe("A");
    expect(snap.get("at").toMillis()).toBeGreaterThan(0);
  });

  it("getDoc: a missing document does not exist", async () => {
    expect((await getDoc(doc(web.db, "web/missing"))).exists()).toBe(false);
  });

  it("updateDoc: not-found on a missing document", async () => {
    await expect(updateDoc(doc(web.db, "web/nope"), { a: 1 })).rejects.toMatchObject({ code: "not-found" });
  });

  it("updateDoc: transforms only, and arrayUnion", async () => {
    const ref = doc(web.db, "web/t");
    await setDoc(ref, { n: 1, tags: ["a"] });
    await updateDoc(ref, { n: increment(4), tags: arrayUnion("b") });
    const data = (await getDoc(ref)).data()!;
    expect(data).toEqual({ n: 5, tags: ["a", "b"] });
  });

  it("addDoc, writeBatch and deleteDoc", async () => {
    const added = await addDoc(collection(web.db, "wb"), { v: 0 });
    const batch = writeBatch(web.db);
    batch.set(doc(web.db, "wb/x"), { v: 1 });
    batch.set(doc(web.db, "wb/y"), { v: 2 });
    batch.delete(added);
    await batch.commit();
    const snap = await getDocs(query(collection(web.db, "wb"), orderBy("v")));
    expect(snap.docs.map((d) => d.id)).toEqual(["x", "y"]);
    await deleteDoc(doc(web.db, "wb/x"));
    expect((await getDoc(doc(web.db, "wb/x"))).exists()).toBe(false);
  });

  it("getDocs: filters, order and limit", async () => {
    for (let i = 0; i < 6; i++) await setDoc(doc(web.db, `wq/${i}`), { i, group: i % 2 });
    const snap = await getDocs(
      query(collection(web.db, "wq"), where("group", "==", 1), orderBy("i", "desc"), limit(2)),
    );
    expect(snap.docs.map((d) => d.get("i"))).toEqual([5, 3]);
  });

  it("aggregations: count, sum and average", async () => {
    const q = query(collection(web.db, "wq"), where("group", "==", 0));
    expect((await getCountFromServer(q)).data().count).toBe(3);
    const agg = await getAggregateFromServer(q, { total: sum("i"), avg: average("i") });
    expect(agg.data()).toEqual({ total: 6, avg: 2 });
  });

  it("runTransaction: reads then writes, retried after a conflicting write", async () => {
    const ref = doc(web.db, "web/counter");
    await setDoc(ref, { n: 0 });
    const admin = adminFirestore(emu);
    let attempts = 0;
    await runTransaction(web.db, async (tx) => {
      attempts++;
      const snap = await tx.get(ref);
      if (attempts === 1) await admin.doc("web/counter").set({ n: 100 });
      tx.update(ref, { n: snap.get("n") + 1 });
    });
    expect(attempts).toBe(2);
    expect((await getDoc(ref)).get("n")).toBe(101);
    await admin.terminate();
  });

  it("onSnapshot: query listener sees added, modified and removed documents", async () => {
    const coll = collection(web.db, "live");
    await setDoc(doc(coll, "one"), { score: 1 });
    const changes: string[] = [];
    let latest: QuerySnapshot<DocumentData> | null = null;
    const waiters: Array<() => void> = [];
    const unsubscribe = onSnapshot(query(coll, where("score", ">", 0)), (snap) => {
      latest = snap;
      for (const c of snap.docChanges()) changes.push(`${c.type}:${c.doc.id}`);
      for (const w of waiters.splice(0)) w();
    });
    const settle = (predicate: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => (predicate() ? resolve() : waiters.push(check));
        check();
      });
    await settle(() => changes.includes("added:one"));
    await setDoc(doc(coll, "two"), { score: 2 });
    await settle(() => changes.includes("added:two"));
    await updateDoc(doc(coll, "one"), { score: 5 });
    await settle(() => changes.includes("modified:one"));
    await updateDoc(doc(coll, "two"), { score: -1 });
    await settle(() => changes.includes("removed:two"));
    // A write from another client arrives through the server, not the local cache.
    const admin = adminFirestore(emu);
    await admin.doc("live/three").set({ score: 3 });
    await settle(() => changes.includes("added:three"));
    await admin.terminate();
    unsubscribe();
    // Ordered by the inequality field: three (3) before one (5).
    expect(latest!.docs.map((d) => d.id)).toEqual(["three", "one"]);
  });

  it("onSnapshot: document listener sees another client's delete", async () => {
    const ref = doc(web.db, "web/watched");
    await setDoc(ref, { v: 1 });
    const admin = adminFirestore(emu);
    const seen = nextSnapshot<boolean>(
      (cb) => onSnapshot(ref, (s) => cb(s.exists())),
      (exists) => !exists,
    );
    await admin.doc("web/watched").delete();
    expect(await seen).toBe(false);
    await admin.terminate();
  });
});
