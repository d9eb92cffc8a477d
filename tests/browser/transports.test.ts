/**
 * The full web SDK's WebChannel transport in Chromium: forced to long polling, and the default mode
 * (which auto-detects whether streaming works).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminFirestore } from "../emulator/helpers/admin.js";
import type { FirestoreSteps, Mode } from "./pages/firestore.js";
import type { ListenEvent } from "./pages/runtime.js";
import { type BrowserSuite, startBrowserSuite, type Tab } from "./support/suite.js";

let suite: BrowserSuite;
let admin: ReturnType<typeof adminFirestore>;
let tab: Tab<FirestoreSteps> | undefined;

beforeAll(async () => {
  suite = await startBrowserSuite({ pages: { firestore: "firestore.ts" } });
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

const POLL = { timeout: 10_000, interval: 50 };

async function openFirestore(mode: Mode, uid?: string): Promise<Tab<FirestoreSteps>> {
  const t = await suite.open<FirestoreSteps>("firestore");
  tab = t;
  await t.steps.init({ ...suite.emulator.client(), mode, ...(uid ? { uid } : {}) });
  return t;
}

function latest(t: Tab<FirestoreSteps>, id: string): () => Promise<ListenEvent | undefined> {
  return async () => (await t.steps.events(id)).filter((e) => e.kind === "error" || !e.fromCache).at(-1);
}

/** The Listen stream's backchannel requests (WebChannel GETs carry TYPE=xmlhttp; CI=1 means long polling). */
function backchannel(t: Tab<FirestoreSteps>): URL[] {
  return t.requests
    .map((u) => new URL(u))
    .filter((u) => u.pathname.endsWith("/Listen/channel") && u.searchParams.get("TYPE") === "xmlhttp");
}

describe.each(["long-polling", "default"] as const)("WebChannel, %s", (mode) => {
  it("writes, reads and queries", async () => {
    const t = await openFirestore(mode);
    await t.steps.setDoc(`open/${mode}/items/a`, { n: 1 });
    await t.steps.setDoc(`open/${mode}/items/b`, { n: 2 });
    expect(await t.steps.getDoc(`open/${mode}/items/a`)).toEqual({ n: 1 });
    expect(await t.steps.getDocs(`open/${mode}/items`, [["n", ">", 1]])).toEqual([
      { id: "b", data: { n: 2 } },
    ]);
    expect(t.errors).toEqual([]);
  });

  it("a listener sees firebase-admin's writes", async () => {
    const t = await openFirestore(mode);
    await t.steps.listenQuery("q", `open/${mode}/live`);
    await expect.poll(latest(t, "q"), POLL).toMatchObject({ docs: [] });
    await admin.doc(`open/${mode}/live/one`).set({ n: 1 });
    await expect.poll(latest(t, "q"), POLL).toMatchObject({ docs: [{ id: "one", data: { n: 1 } }] });
    await admin.doc(`open/${mode}/live/one`).update({ n: 2 });
    await expect.poll(latest(t, "q"), POLL).toMatchObject({ docs: [{ id: "one", data: { n: 2 } }] });
    const polls = backchannel(t);
    expect(polls.length).toBeGreaterThan(0);
    if (mode === "long-polling") expect(polls.every((u) => u.searchParams.get("CI") === "1")).toBe(true);
    expect(t.errors).toEqual([]);
  });

  it("a listener the rules refuse ends with permission-denied", async () => {
    const t = await openFirestore(mode, "alice");
    await t.steps.listenDoc("denied", "locked/doc");
    await expect.poll(latest(t, "denied"), POLL).toMatchObject({ kind: "error", code: "permission-denied" });
  });
});
