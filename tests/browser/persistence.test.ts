/**
 * State across a page's life: the persistent IndexedDB cache across a reload, WebChannel sessions
 * ended by terminate(), and a listener that recovers when the emulator restarts on the same port.
 */
import { describe, expect, it } from "vitest";
import type { FirestoreSteps } from "./pages/firestore.js";
import { browserTests } from "./support/browser-tests.js";

const env = browserTests();

describe("persistentLocalCache", () => {
  it("documents and query results survive a page reload in IndexedDB", async () => {
    await env.admin.doc("open/cached/items/b").set({ n: 2 });
    const t = await env.open<FirestoreSteps>("firestore");
    const init = { ...env.suite.emulator.client(), mode: "persistent" as const };
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
    const t = await env.open<FirestoreSteps>("firestore");
    const init = { ...env.suite.emulator.client(), mode: "persistent" as const };
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
    const sessions = () => env.suite.emulator.webChannelSessions();
    const before = sessions();
    const t = await env.open<FirestoreSteps>("firestore");
    await t.steps.init(env.suite.emulator.client());
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
    const t = await env.open<FirestoreSteps>("firestore");
    await t.steps.init(env.suite.emulator.client());
    await t.steps.listenDoc("r", "open/restart");
    await env.admin.doc("open/restart").set({ n: 1 });
    const server = async () =>
      (await t.steps.events("r")).filter((e) => e.kind === "error" || !e.fromCache).at(-1);
    await expect.poll(server, { timeout: 10_000 }).toMatchObject({ docs: [{ data: { n: 1 } }] });
    await env.suite.emulator.restart({ downMs: 300 });
    // WebChannel retries the dead back channel before the SDK reopens the stream (about 8 s here).
    // The new emulator starts empty; firebase-admin reconnects on its own.
    await env.admin.doc("open/restart").set({ n: 2 });
    await expect
      .poll(server, { timeout: 30_000, interval: 100 })
      .toMatchObject({ docs: [{ data: { n: 2 } }] });
    expect((await t.steps.events("r")).filter((e) => e.kind === "error")).toEqual([]);
  }, 45_000);
});
