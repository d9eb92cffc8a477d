/** `firebase/firestore/lite` in Chromium: every call one REST request over fetch, cross-origin. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminFirestore } from "../emulator/helpers/admin.js";
import type { LiteSteps } from "./pages/lite.js";
import { type BrowserSuite, startBrowserSuite, type Tab } from "./support/suite.js";

let suite: BrowserSuite;
let admin: ReturnType<typeof adminFirestore>;
let tab: Tab<LiteSteps> | undefined;

beforeAll(async () => {
  suite = await startBrowserSuite({ pages: { lite: "lite.ts" } });
  admin = adminFirestore(suite.emulator);
});
afterAll(async () => {
  await admin?.terminate();
  await suite?.stop();
});
afterEach(async () => {
  await tab?.close();
  tab = undefined;
});

async function openLite(uid?: string): Promise<Tab<LiteSteps>> {
  tab = await suite.open<LiteSteps>("lite");
  await tab.steps.init({ ...suite.emulator.client(), ...(uid ? { uid } : {}) });
  return tab;
}

describe("firebase/firestore/lite", () => {
  it("setDoc, getDoc, updateDoc and deleteDoc", async () => {
    const t = await openLite();
    await t.steps.setDoc("open/lite/items/a", { n: 1 });
    expect(await t.steps.getDoc("open/lite/items/a")).toEqual({ n: 1 });
    await t.steps.updateDoc("open/lite/items/a", { n: 5 });
    expect((await admin.doc("open/lite/items/a").get()).data()).toEqual({ n: 5 });
    await t.steps.deleteDoc("open/lite/items/a");
    expect(await t.steps.getDoc("open/lite/items/a")).toBeNull();
    expect(t.errors).toEqual([]);
  });

  it("queries and counts what firebase-admin wrote", async () => {
    await Promise.all([3, 1, 2].map((n) => admin.doc(`open/lite-q/items/d${n}`).set({ n })));
    const t = await openLite();
    expect(await t.steps.queryAbove("open/lite-q/items", "n", 1)).toEqual(["d2", "d3"]);
    expect(await t.steps.count("open/lite-q/items")).toBe(3);
    expect(t.errors).toEqual([]);
  });

  it("reads and writes the rules refuse fail with permission-denied", async () => {
    await admin.doc("locked/lite").set({ n: 1 });
    const t = await openLite("alice");
    await expect(t.steps.getDoc("locked/lite")).rejects.toMatchObject({ code: "permission-denied" });
    await expect(t.steps.setDoc("locked/lite", { n: 2 })).rejects.toMatchObject({
      code: "permission-denied",
    });
    await expect(t.steps.setDoc("users/bob/x/y", { n: 2 })).rejects.toMatchObject({
      code: "permission-denied",
    });
    await t.steps.setDoc("users/alice/x/y", { n: 3 });
    expect(await t.steps.getDoc("users/alice/x/y")).toEqual({ n: 3 });
  });
});
