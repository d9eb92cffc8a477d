/** The REST surface through `firebase/firestore/lite` (REST over fetch) and raw HTTP. */
import { deleteApp, initializeApp } from "firebase/app";
import {
  collection,
  connectFirestoreEmulator,
  deleteDoc,
  doc,
  getCount,
  getDoc,
  getDocs,
  getFirestore,
  increment,
  orderBy,
  query,
  runTransaction,
  setDoc,
  updateDoc,
  where,
} from "firebase/firestore/lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";

let emu: TestEmulator;
let app: ReturnType<typeof initializeApp>;
let db: ReturnType<typeof getFirestore>;

beforeAll(async () => {
  emu = await startTestEmulator();
  app = initializeApp({ projectId: emu.projectId, apiKey: "fake" }, "lite");
  db = getFirestore(app);
  connectFirestoreEmulator(db, emu.host, emu.port);
});
afterAll(async () => {
  await deleteApp(app);
  await emu.stop();
});

describe("firebase/firestore/lite over REST", () => {
  it("writes, reads, queries, counts and deletes", async () => {
    await setDoc(doc(db, "lite/a"), { n: 1, at: new Date(1_700_000_000_000), tags: ["x"] });
    await setDoc(doc(db, "lite/b"), { n: 2 });
    await updateDoc(doc(db, "lite/a"), { n: increment(10) });
    const a = await getDoc(doc(db, "lite/a"));
    expect(a.get("n")).toBe(11);
    expect(a.get("at").toMillis()).toBe(1_700_000_000_000);
    const snap = await getDocs(query(collection(db, "lite"), where("n", ">", 1), orderBy("n", "desc")));
    expect(snap.docs.map((d) => d.id)).toEqual(["a", "b"]);
    expect((await getCount(collection(db, "lite"))).data().count).toBe(2);
    await deleteDoc(doc(db, "lite/b"));
    expect((await getDoc(doc(db, "lite/b"))).exists()).toBe(false);
  });

  it("errors keep their codes", async () => {
    await expect(updateDoc(doc(db, "lite/missing"), { n: 1 })).rejects.toMatchObject({ code: "not-found" });
  });

  it("transactions read with batchGet and commit with preconditions", async () => {
    await setDoc(doc(db, "lite/counter"), { n: 0 });
    await runTransaction(db, async (tx) => {
      const snap = await tx.get(doc(db, "lite/counter"));
      tx.update(doc(db, "lite/counter"), { n: snap.get("n") + 1 });
    });
    expect((await getDoc(doc(db, "lite/counter"))).get("n")).toBe(1);
  });
});

describe("REST: raw HTTP", () => {
  const base = () =>
    `http://${emu.host}:${emu.port}/v1/projects/${emu.projectId}/databases/(default)/documents`;

  it("create, get with a mask, patch with a mask, list and delete", async () => {
    let res = await fetch(`${base()}/raw?documentId=d`, {
      method: "POST",
      body: JSON.stringify({ fields: { a: { integerValue: "1" }, b: { stringValue: "x" } } }),
    });
    expect(res.status).toBe(200);
    res = await fetch(`${base()}/raw?documentId=d`, { method: "POST", body: JSON.stringify({ fields: {} }) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe("ALREADY_EXISTS");
    res = await fetch(`${base()}/raw/d?mask.fieldPaths=a`);
    const got = (await res.json()) as { fields: unknown; createTime: string };
    expect(got.fields).toEqual({ a: { integerValue: "1" } });
    expect(got.createTime).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    res = await fetch(`${base()}/raw/d?updateMask.fieldPaths=b`, {
      method: "PATCH",
      body: JSON.stringify({ fields: {} }),
    });
    expect(((await res.json()) as { fields: unknown }).fields).toEqual({ a: { integerValue: "1" } });
    res = await fetch(`${base()}/raw`);
    expect(
      ((await res.json()) as { documents: Array<{ name: string }> }).documents.map((d) =>
        d.name.split("/").pop(),
      ),
    ).toEqual(["d"]);
    res = await fetch(`${base()}/raw/d`, { method: "DELETE" });
    expect(res.status).toBe(200);
    res = await fetch(`${base()}/raw/d`);
    expect(res.status).toBe(404);
  });

  it("a malformed commit is refused with INVALID_ARGUMENT naming the field; none of its writes apply", async () => {
    const name = (id: string) => `projects/${emu.projectId}/databases/(default)/documents/malformed/${id}`;
    const res = await fetch(`${base()}:commit`, {
      method: "POST",
      body: JSON.stringify({
        writes: [
          { update: { name: name("a"), fields: { n: { integerValue: "1" } } } },
          { update: { name: name("b"), fields: {} }, currentDocument: { updateTime: "last tuesday" } },
        ],
      }),
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { status: string; message: string } };
    expect(error.status).toBe("INVALID_ARGUMENT");
    expect(error.message).toMatch(/Invalid timestamp "last tuesday"/);
    expect((await fetch(`${base()}/malformed/a`)).status).toBe(404);
    const query = await fetch(`${base()}:runQuery`, {
      method: "POST",
      body: JSON.stringify({ structuredQuery: { from: [{ collectionId: "malformed" }], limit: -2 } }),
    });
    expect(query.status).toBe(400);
    expect(((await query.json()) as { error: { message: string } }).error.message).toMatch(/non-negative/);
    expect((await fetch(`${base()}:commit`, { method: "POST", body: "[1]" })).status).toBe(400);
  });

  it("rejects malformed JSON and unknown methods with 4xx", async () => {
    expect((await fetch(`${base()}:commit`, { method: "POST", body: "{" })).status).toBe(400);
    expect((await fetch(`${base()}:explode`, { method: "POST", body: "{}" })).status).toBe(404);
  });
});
