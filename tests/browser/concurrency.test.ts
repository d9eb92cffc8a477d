/** Transactions and increments from two browser tabs and firebase-admin at once. */
import { describe, expect, it } from "vitest";
import { admin as adminSdk } from "../emulator/helpers/admin.js";
import { browserTests } from "./support/browser-tests.js";

const env = browserTests();

const open = (uid?: string) => env.firestore(uid ? { uid } : {});

describe("transactions", () => {
  it("read-modify-write from two tabs and firebase-admin loses no update", async () => {
    await env.admin.doc("open/tx-counter").set({ n: 0 });
    const [a, b] = await Promise.all([open(), open()]);
    const adminTx = async () => {
      for (let i = 0; i < 3; i++) {
        await env.admin.runTransaction(async (tx) => {
          const snap = await tx.get(env.admin.doc("open/tx-counter"));
          tx.update(env.admin.doc("open/tx-counter"), { n: (snap.get("n") as number) + 1 });
        });
      }
    };
    const [attemptsA, attemptsB] = await Promise.all([
      a.steps.transactIncrement("open/tx-counter", "n", 4),
      b.steps.transactIncrement("open/tx-counter", "n", 4),
      adminTx(),
    ]);
    expect((await env.admin.doc("open/tx-counter").get()).get("n")).toBe(11);
    // The web SDK's transactions are optimistic: a commit whose reads went stale fails its
    // preconditions (FAILED_PRECONDITION, HTTP 400, as in production) and the SDK runs it again. So
    // every extra attempt is one refused commit, and nothing else went wrong.
    for (const [tab, attempts] of [
      [a, attemptsA],
      [b, attemptsB],
    ] as const) {
      const refusedCommits = tab.errors.filter((e) => /^HTTP 400: POST .*documents:commit/.test(e));
      expect(refusedCommits).toHaveLength(attempts - 4);
      expect(tab.errors.filter((e) => !refusedCommits.includes(e) && !/status of 400/.test(e))).toEqual([]);
    }
  }, 45_000);

  it("a transaction reads what it read and writes atomically", async () => {
    await env.admin.doc("open/tx-source").set({ v: "hello" });
    const t = await open();
    expect(await t.steps.transactCopy("open/tx-source", "open/tx-copy")).toEqual({ v: "hello" });
    expect((await env.admin.doc("open/tx-copy").get()).data()).toEqual({ copied: { v: "hello" } });
  });

  it("a transaction whose read the rules refuse fails with permission-denied", async () => {
    await env.admin.doc("locked/tx").set({ v: 1 });
    const t = await open("alice");
    await expect(t.steps.transactCopy("locked/tx", "open/tx-leak")).rejects.toMatchObject({
      code: "permission-denied",
    });
    expect((await env.admin.doc("open/tx-leak").get()).exists).toBe(false);
  });

  it("a transaction whose write the rules refuse fails with permission-denied", async () => {
    await env.admin.doc("open/tx-readable").set({ v: 1 });
    const t = await open("alice");
    await expect(t.steps.transactCopy("open/tx-readable", "locked/tx-write")).rejects.toMatchObject({
      code: "permission-denied",
    });
    expect((await env.admin.doc("locked/tx-write").get()).exists).toBe(false);
  });
});

describe("increment", () => {
  it("from two tabs and firebase-admin at once adds up exactly", async () => {
    await env.admin.doc("open/inc").set({ n: 0, by: 0 });
    const [a, b] = await Promise.all([open(), open()]);
    const adminIncrements = async () => {
      for (let i = 0; i < 10; i++)
        await env.admin.doc("open/inc").update({ n: adminSdk.FieldValue.increment(1) });
    };
    await Promise.all([
      a.steps.increment("open/inc", "n", 1, 10),
      b.steps.increment("open/inc", "n", 2, 10),
      adminIncrements(),
    ]);
    expect((await env.admin.doc("open/inc").get()).get("n")).toBe(40);
  });
});
