/** Transactions and increments from two browser tabs and firebase-admin at once. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminFirestore, admin as adminSdk } from "../emulator/helpers/admin.js";
import type { FirestoreSteps } from "./pages/firestore.js";
import { type BrowserSuite, startBrowserSuite, type Tab } from "./support/suite.js";

let suite: BrowserSuite;
let admin: ReturnType<typeof adminFirestore>;
let tabs: Tab<FirestoreSteps>[] = [];

beforeAll(async () => {
  suite = await startBrowserSuite({ pages: { firestore: "firestore.ts" } });
  admin = adminFirestore(suite.emulator);
});
afterAll(async () => {
  await admin?.terminate();
  await suite?.stop();
});
afterEach(async () => {
  await Promise.all(tabs.map((t) => t.close()));
  tabs = [];
});

async function open(uid?: string): Promise<Tab<FirestoreSteps>> {
  const tab = await suite.open<FirestoreSteps>("firestore");
  tabs.push(tab);
  await tab.steps.init({ ...suite.emulator.client(), ...(uid ? { uid } : {}) });
  return tab;
}

describe("transactions", () => {
  it("read-modify-write from two tabs and firebase-admin loses no update", async () => {
    await admin.doc("open/tx-counter").set({ n: 0 });
    const [a, b] = await Promise.all([open(), open()]);
    const adminTx = async () => {
      for (let i = 0; i < 3; i++) {
        await admin.runTransaction(async (tx) => {
          const snap = await tx.get(admin.doc("open/tx-counter"));
          tx.update(admin.doc("open/tx-counter"), { n: (snap.get("n") as number) + 1 });
        });
      }
    };
    const [attemptsA, attemptsB] = await Promise.all([
      a.steps.transactIncrement("open/tx-counter", "n", 4),
      b.steps.transactIncrement("open/tx-counter", "n", 4),
      adminTx(),
    ]);
    expect((await admin.doc("open/tx-counter").get()).get("n")).toBe(11);
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
    await admin.doc("open/tx-source").set({ v: "hello" });
    const t = await open();
    expect(await t.steps.transactCopy("open/tx-source", "open/tx-copy")).toEqual({ v: "hello" });
    expect((await admin.doc("open/tx-copy").get()).data()).toEqual({ copied: { v: "hello" } });
  });

  it("a transaction whose read the rules refuse fails with permission-denied", async () => {
    await admin.doc("locked/tx").set({ v: 1 });
    const t = await open("alice");
    await expect(t.steps.transactCopy("locked/tx", "open/tx-leak")).rejects.toMatchObject({
      code: "permission-denied",
    });
    expect((await admin.doc("open/tx-leak").get()).exists).toBe(false);
  });

  it("a transaction whose write the rules refuse fails with permission-denied", async () => {
    await admin.doc("open/tx-readable").set({ v: 1 });
    const t = await open("alice");
    await expect(t.steps.transactCopy("open/tx-readable", "locked/tx-write")).rejects.toMatchObject({
      code: "permission-denied",
    });
    expect((await admin.doc("locked/tx-write").get()).exists).toBe(false);
  });
});

describe("increment", () => {
  it("from two tabs and firebase-admin at once adds up exactly", async () => {
    await admin.doc("open/inc").set({ n: 0, by: 0 });
    const [a, b] = await Promise.all([open(), open()]);
    const adminIncrements = async () => {
      for (let i = 0; i < 10; i++)
        await admin.doc("open/inc").update({ n: adminSdk.FieldValue.increment(1) });
    };
    await Promise.all([
      a.steps.increment("open/inc", "n", 1, 10),
      b.steps.increment("open/inc", "n", 2, 10),
      adminIncrements(),
    ]);
    expect((await admin.doc("open/inc").get()).get("n")).toBe(40);
  });
});
