/**
 * State across a page's life: the persistent IndexedDB cache across a reload, WebChannel sessions
 * ended by terminate(), and a listener that recovers when the emulator restarts on the same port.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminFirestore } from "../emulator/helpers/admin.js";
import type { FirestoreSteps } from "./pages/firestore.js";
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

describe("persistentLocalCache", () => {
  it("documents and query results survive a page reload in IndexedDB", async () => {
    await admin.doc("open/cached/items/b").set({ n: 2 });
    const t = await suite.open<FirestoreSteps>("firestore");
    tab = t;
    const init = { ...suite.emulator.client(), mode: "persistent" as const };
    await t.steps.init(init);
    await t.steps.setDoc("open/cached/items/a", { n: 1 });
    expect(await t.steps.getDocs("open/cached/items", [], "n")).toEqual([
      { id: "a", data: { n: 1 } },
      { id: "b", data: { n: 2 } },
    ]);
    await t.reload();
    await t.steps.init(init);
    expect(await t.steps.getDocFromCache("open/cached/items/a")).toEqual({ n: 1 });
    expect(await t.steps.getDocsFromCache("open/cached/items", [], "n")).toEqual([
      { id: "a", data: { n: 1 } },
      { id: "b", data: { n: 2 } },
    ]);
    expect(t.errors).toEqual([]);
  });

  it("a document the page wrote is cached, one it never saw is not", async () => {
    const t = await suite.open<FirestoreSteps>("firestore");
    tab = t;
    const init = { ...suite.emulator.client(), mode: "persistent" as const };
    await t.steps.init(init);
    await t.steps.setDoc("open/cached2", { n: 1 });
    await t.reload();
    await t.steps.init(init);
    expect(await t.steps.getDocFromCache("open/cached2")).toEqual({ n: 1 });
    await expect(t.steps.getDocFromCache("open/never-read")).rejects.toMatchObject({ code: "unavailable" });
  });
});

describe("WebChannel sessions", () => {
  it("terminate() ends the page's Listen and Write sessions on the emulator", async () => {
    const sessions = () => suite.emulator.webChannelSessions();
    const before = sessions();
    const t = await suite.open<FirestoreSteps>("firestore");
    tab = t;
    await t.steps.init(suite.emulator.client());
    await t.steps.listenDoc("s", "open/session");
    await t.steps.setDoc("open/session", { n: 1 });
    await expect.poll(sessions, { timeout: 10_000 }).toBe(before + 2);
    await t.steps.close();
    await expect.poll(sessions, { timeout: 10_000 }).toBe(before);
    expect(t.errors).toEqual([]);
  });
});

describe("emulator restart", () => {
  it("a listener recovers and sees writes made after the emulator restarts on the same port", async () => {
    const t = await suite.open<FirestoreSteps>("firestore");
    tab = t;
    await t.steps.init(suite.emulator.client());
    await t.steps.listenDoc("r", "open/restart");
    await admin.doc("open/restart").set({ n: 1 });
    const server = async () =>
      (await t.steps.events("r")).filter((e) => e.kind === "error" || !e.fromCache).at(-1);
    await expect.poll(server, { timeout: 10_000 }).toMatchObject({ docs: [{ data: { n: 1 } }] });
    await suite.emulator.restart({ downMs: 300 });
    // WebChannel retries the dead back channel before the SDK reopens the stream (about 8 s here).
    // The new emulator starts empty; firebase-admin reconnects on its own.
    await admin.doc("open/restart").set({ n: 2 });
    await expect
      .poll(server, { timeout: 30_000, interval: 100 })
      .toMatchObject({ docs: [{ data: { n: 2 } }] });
    expect((await t.steps.events("r")).filter((e) => e.kind === "error")).toEqual([]);
  }, 45_000);
});
