/**
 * The full web SDK in Chromium against Hearth's emulator with rules: reads and writes, batches,
 * counts and server timestamps, each allowed and refused.
 */
import { describe, expect, it } from "vitest";
import { browserTests } from "./support/browser-tests.js";

const env = browserTests();

const openAs = (uid?: string) => env.firestore(uid ? { uid } : {});

describe("documents", () => {
  it("set, get, update and delete round-trip through the server", async () => {
    const { steps, errors } = await openAs();
    await steps.setDoc("open/crud", { n: 1, name: "a", tags: ["x"] });
    expect(await steps.getDoc("open/crud")).toEqual({ n: 1, name: "a", tags: ["x"] });
    await steps.updateDoc("open/crud", { n: 2, "nested.k": true });
    expect(await steps.getDoc("open/crud")).toEqual({ n: 2, name: "a", tags: ["x"], nested: { k: true } });
    await steps.deleteDoc("open/crud");
    expect(await steps.getDoc("open/crud")).toBeNull();
    expect(errors).toEqual([]);
  });

  it("writes from the browser are what firebase-admin reads", async () => {
    const { steps } = await openAs();
    await steps.setDoc("open/shared", { from: "browser", at: 1 });
    await steps.setDoc("open/shared", { more: true }, true);
    expect((await env.admin.doc("open/shared").get()).data()).toEqual({ from: "browser", at: 1, more: true });
  });

  it("getDoc reads what firebase-admin wrote, with every common value type", async () => {
    await env.admin.doc("open/typed").set({
      s: "x",
      i: 7,
      d: 1.5,
      b: false,
      nil: null,
      arr: [1, "two"],
      map: { deep: { er: 1 } },
      when: new Date(1_700_000_000_123),
    });
    const { steps } = await openAs();
    expect(await steps.getDoc("open/typed")).toEqual({
      s: "x",
      i: 7,
      d: 1.5,
      b: false,
      nil: null,
      arr: [1, "two"],
      map: { deep: { er: 1 } },
      when: { timestampMillis: 1_700_000_000_123 },
    });
  });

  it("updateDoc on a missing document fails with not-found", async () => {
    const { steps } = await openAs();
    await expect(steps.updateDoc("open/never-written", { n: 1 })).rejects.toMatchObject({
      code: "not-found",
    });
  });

  it("a user reads and writes their own documents", async () => {
    const { steps, errors } = await openAs("alice");
    await steps.setDoc("users/alice/notes/1", { text: "mine" });
    expect(await steps.getDoc("users/alice/notes/1")).toEqual({ text: "mine" });
    expect(errors).toEqual([]);
  });
});

describe("denials surface permission-denied", () => {
  it("a read the rules refuse", async () => {
    await env.admin.doc("locked/secret").set({ n: 1 });
    const { steps } = await openAs("alice");
    await expect(steps.getDoc("locked/secret")).rejects.toMatchObject({ code: "permission-denied" });
  });

  it("another user's document, read and written", async () => {
    await env.admin.doc("users/bob/notes/1").set({ text: "bob's" });
    const { steps } = await openAs("alice");
    await expect(steps.getDoc("users/bob/notes/1")).rejects.toMatchObject({ code: "permission-denied" });
    await expect(steps.setDoc("users/bob/notes/2", { text: "forged" })).rejects.toMatchObject({
      code: "permission-denied",
    });
    expect((await env.admin.doc("users/bob/notes/2").get()).exists).toBe(false);
  });

  it("signed out, a user's document is refused", async () => {
    const { steps } = await openAs();
    await expect(steps.setDoc("users/alice/notes/3", { text: "anon" })).rejects.toMatchObject({
      code: "permission-denied",
    });
  });

  it("update and delete the rules refuse leave the document as it was", async () => {
    await env.admin.doc("feed/post").set({ title: "kept" });
    const { steps } = await openAs("alice");
    expect(await steps.getDoc("feed/post")).toEqual({ title: "kept" });
    await expect(steps.updateDoc("feed/post", { title: "changed" })).rejects.toMatchObject({
      code: "permission-denied",
    });
    await expect(steps.deleteDoc("feed/post")).rejects.toMatchObject({ code: "permission-denied" });
    expect((await env.admin.doc("feed/post").get()).data()).toEqual({ title: "kept" });
  });

  it("a query the rules refuse", async () => {
    const { steps } = await openAs("alice");
    await expect(steps.getDocs("locked")).rejects.toMatchObject({ code: "permission-denied" });
  });
});

describe("queries", () => {
  it("a collection-group query finds documents under every parent", async () => {
    await env.admin.doc("open/cg/a/1/shared/x").set({ n: 1 });
    await env.admin.doc("open/cg/b/2/shared/y").set({ n: 2 });
    await env.admin.doc("feed/cg/shared/z").set({ n: 3 });
    await env.admin.doc("open/cg/c/3/other/w").set({ n: 4 });
    const { steps, errors } = await openAs();
    expect(await steps.getDocs("**/shared", [["n", ">=", 1]], "n")).toEqual([
      { id: "x", data: { n: 1 } },
      { id: "y", data: { n: 2 } },
      { id: "z", data: { n: 3 } },
    ]);
    expect(await steps.count("**/shared")).toBe(3);
    expect(errors).toEqual([]);
  });

  it("a collection-group query the rules do not allow everywhere is refused", async () => {
    await env.admin.doc("open/cg2/items/1").set({ n: 1 });
    const { steps } = await openAs("alice");
    await expect(steps.getDocs("**/items")).rejects.toMatchObject({ code: "permission-denied" });
  });
});

describe("batches", () => {
  it("set, update and delete commit together", async () => {
    await env.admin.doc("open/batch/items/gone").set({ n: 0 });
    await env.admin.doc("open/batch/items/kept").set({ n: 1 });
    const { steps } = await openAs();
    await steps.batch([
      ["set", "open/batch/items/new", { n: 2 }],
      ["update", "open/batch/items/kept", { n: 10 }],
      ["delete", "open/batch/items/gone"],
    ]);
    const snap = await env.admin.collection("open/batch/items").orderBy("n").get();
    expect(snap.docs.map((d) => [d.id, d.get("n")])).toEqual([
      ["new", 2],
      ["kept", 10],
    ]);
  });

  it("a batch with one refused write applies nothing", async () => {
    const { steps } = await openAs("alice");
    await expect(
      steps.batch([
        ["set", "open/batch2/items/a", { n: 1 }],
        ["set", "locked/batch2", { n: 1 }],
      ]),
    ).rejects.toMatchObject({ code: "permission-denied" });
    expect((await env.admin.doc("open/batch2/items/a").get()).exists).toBe(false);
  });
});

describe("aggregations and transforms", () => {
  it("getCountFromServer counts the collection and a filtered query", async () => {
    const items = env.admin.collection("open/counted/items");
    await Promise.all([1, 2, 3, 4, 5].map((n) => items.doc(`d${n}`).set({ n })));
    const { steps } = await openAs();
    expect(await steps.count("open/counted/items")).toBe(5);
    expect(await steps.count("open/counted/items", [["n", ">", 3]])).toBe(2);
  });

  it("getCountFromServer on a collection the rules refuse", async () => {
    const { steps } = await openAs("alice");
    await expect(steps.count("locked")).rejects.toMatchObject({ code: "permission-denied" });
  });

  it("serverTimestamp is set by the emulator's clock", async () => {
    const { steps } = await openAs();
    const before = Date.now();
    const millis = await steps.serverTimestamp("open/stamped", "at");
    const after = Date.now();
    expect(millis).toBeGreaterThanOrEqual(before - 1);
    expect(millis).toBeLessThanOrEqual(after + 1);
    const stored = (await env.admin.doc("open/stamped").get()).get("at");
    expect(stored.toMillis()).toBe(millis);
  });
});
