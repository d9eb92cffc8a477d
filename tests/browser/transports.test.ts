/**
 * The web SDK's transports in Chromium: WebChannel forced to long polling, the default mode (which
 * auto-detects whether streaming works), and `firebase/firestore/lite` (one REST request over fetch
 * per call).
 */
import { describe, expect, it } from "vitest";
import type { FirestoreSteps, Mode } from "./pages/firestore.js";
import type { LiteSteps } from "./pages/lite.js";
import type { PipelinesSteps } from "./pages/pipelines.js";
import type { ListenEvent } from "./pages/runtime.js";
import { browserTests } from "./support/browser-tests.js";
import type { Tab } from "./support/suite.js";

const env = browserTests({ firestore: "firestore.ts", lite: "lite.ts", pipelines: "pipelines.ts" });

const POLL = { timeout: 10_000, interval: 50 };

function openFirestore(mode: Mode, uid?: string): Promise<Tab<FirestoreSteps>> {
  return env.firestore({ mode, ...(uid ? { uid } : {}) });
}

function latest(t: Tab<FirestoreSteps>, id: string): () => Promise<ListenEvent | undefined> {
  return async () => (await t.steps.events(id)).filter((e) => e.kind === "error" || !e.fromCache).at(-1);
}

async function openLite(uid?: string): Promise<Tab<LiteSteps>> {
  const t = await env.open<LiteSteps>("lite");
  await t.steps.init({ ...env.suite.emulator.client(), ...(uid ? { uid } : {}) });
  return t;
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
    await env.admin.doc(`open/${mode}/live/one`).set({ n: 1 });
    await expect.poll(latest(t, "q"), POLL).toMatchObject({ docs: [{ id: "one", data: { n: 1 } }] });
    await env.admin.doc(`open/${mode}/live/one`).update({ n: 2 });
    await expect.poll(latest(t, "q"), POLL).toMatchObject({ docs: [{ id: "one", data: { n: 2 } }] });
    const polls = backchannel(t);
    expect(polls.length).toBeGreaterThan(0);
    // Forced long polling never streams (CI=1). The default mode decides from how the first response
    // arrives, which on a loaded machine can go either way, so only the forced mode is pinned.
    if (mode === "long-polling") expect(polls.every((u) => u.searchParams.get("CI") === "1")).toBe(true);
    expect(t.errors).toEqual([]);
  });

  it("a listener the rules refuse ends with permission-denied", async () => {
    const t = await openFirestore(mode, "alice");
    await t.steps.listenDoc("denied", "locked/doc");
    await expect.poll(latest(t, "denied"), POLL).toMatchObject({ kind: "error", code: "permission-denied" });
  });
});

describe("firebase/firestore/lite", () => {
  it("setDoc, getDoc, updateDoc and deleteDoc", async () => {
    const t = await openLite();
    await t.steps.setDoc("open/lite/items/a", { n: 1 });
    expect(await t.steps.getDoc("open/lite/items/a")).toEqual({ n: 1 });
    await t.steps.updateDoc("open/lite/items/a", { n: 5 });
    expect((await env.admin.doc("open/lite/items/a").get()).data()).toEqual({ n: 5 });
    await t.steps.deleteDoc("open/lite/items/a");
    expect(await t.steps.getDoc("open/lite/items/a")).toBeNull();
    expect(t.errors).toEqual([]);
  });

  it("queries and counts what firebase-admin wrote", async () => {
    await Promise.all([3, 1, 2].map((n) => env.admin.doc(`open/lite-q/items/d${n}`).set({ n })));
    const t = await openLite();
    expect(await t.steps.queryAbove("open/lite-q/items", "n", 1)).toEqual(["d2", "d3"]);
    expect(await t.steps.count("open/lite-q/items")).toBe(3);
    expect(t.errors).toEqual([]);
  });

  it("reads and writes the rules refuse fail with permission-denied", async () => {
    await env.admin.doc("locked/lite").set({ n: 1 });
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

describe("unsupported features", () => {
  it("a pipeline query fails with unimplemented instead of hanging", async () => {
    const t = await env.open<PipelinesSteps>("pipelines");
    await t.steps.init(env.suite.emulator.client());
    await expect(t.steps.run("open")).rejects.toMatchObject({
      code: "unimplemented",
      message: expect.stringContaining("does not implement executePipeline"),
    });
  });
});
