/**
 * onSnapshot in Chromium (WebChannel Listen stream) seeing writes made by a second client,
 * firebase-admin in Node, and listeners the rules refuse.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminFirestore } from "../emulator/helpers/admin.js";
import type { FirestoreSteps } from "./pages/firestore.js";
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

async function openAs(uid?: string): Promise<Tab<FirestoreSteps>> {
  tab = await suite.open<FirestoreSteps>("firestore");
  await tab.steps.init({ ...suite.emulator.client(), ...(uid ? { uid } : {}) });
  return tab;
}

/** The newest event a listener has delivered from the server (not from cache). */
function latest(t: Tab<FirestoreSteps>, id: string): () => Promise<ListenEvent | undefined> {
  return async () => (await t.steps.events(id)).filter((e) => e.kind === "error" || !e.fromCache).at(-1);
}

const POLL = { timeout: 10_000, interval: 50 };

describe("document listeners", () => {
  it("see another client's create, update and delete", async () => {
    const t = await openAs();
    await t.steps.listenDoc("d", "open/watched");
    await expect.poll(latest(t, "d"), POLL).toMatchObject({ docs: [{ id: "watched", data: null }] });
    await admin.doc("open/watched").set({ n: 1 });
    await expect.poll(latest(t, "d"), POLL).toMatchObject({ docs: [{ data: { n: 1 } }] });
    await admin.doc("open/watched").update({ n: 2 });
    await expect.poll(latest(t, "d"), POLL).toMatchObject({ docs: [{ data: { n: 2 } }] });
    await admin.doc("open/watched").delete();
    await expect.poll(latest(t, "d"), POLL).toMatchObject({ docs: [{ data: null }] });
    expect(t.errors).toEqual([]);
  });

  it("see the page's own write first as pending, then as confirmed", async () => {
    const t = await openAs();
    await t.steps.listenDoc("own", "open/own-write", true);
    await expect.poll(latest(t, "own"), POLL).toMatchObject({ docs: [{ data: null }] });
    await t.steps.setDoc("open/own-write", { n: 1 });
    await expect
      .poll(async () => (await t.steps.events("own")).filter((e) => e.kind === "snapshot").at(-1), POLL)
      .toMatchObject({ docs: [{ data: { n: 1 } }], hasPendingWrites: false });
    const events = await t.steps.events("own");
    expect(events).toContainEqual(expect.objectContaining({ hasPendingWrites: true }));
  });

  it("a listener the rules refuse ends with permission-denied", async () => {
    await admin.doc("locked/watched").set({ n: 1 });
    const t = await openAs("alice");
    await t.steps.listenDoc("denied", "locked/watched");
    await expect.poll(latest(t, "denied"), POLL).toMatchObject({ kind: "error", code: "permission-denied" });
    expect((await t.steps.events("denied")).filter((e) => e.kind === "snapshot" && !e.fromCache)).toEqual([]);
  });

  it("a signed-in user listens to their own document but not another user's", async () => {
    const t = await openAs("alice");
    await t.steps.listenDoc("mine", "users/alice/profile/main");
    await t.steps.listenDoc("theirs", "users/bob/profile/main");
    await admin.doc("users/alice/profile/main").set({ name: "Alice" });
    await expect.poll(latest(t, "mine"), POLL).toMatchObject({ docs: [{ data: { name: "Alice" } }] });
    await expect.poll(latest(t, "theirs"), POLL).toMatchObject({ kind: "error", code: "permission-denied" });
  });
});

describe("query listeners", () => {
  it("see documents enter, change and leave a filtered, ordered query", async () => {
    const t = await openAs();
    await admin.doc("open/q/items/a").set({ tag: "x", n: 2 });
    await t.steps.listenQuery("q", "open/q/items", [["tag", "==", "x"]], "n");
    await expect.poll(latest(t, "q"), POLL).toMatchObject({ docs: [{ id: "a" }] });
    await admin.doc("open/q/items/b").set({ tag: "x", n: 1 });
    await admin.doc("open/q/items/c").set({ tag: "y", n: 0 });
    await expect
      .poll(
        async () => ((await latest(t, "q")()) as { docs?: { id: string }[] }).docs?.map((d) => d.id),
        POLL,
      )
      .toEqual(["b", "a"]);
    await admin.doc("open/q/items/a").update({ n: 0 });
    await expect
      .poll(
        async () => ((await latest(t, "q")()) as { docs?: { id: string }[] }).docs?.map((d) => d.id),
        POLL,
      )
      .toEqual(["a", "b"]);
    await admin.doc("open/q/items/b").update({ tag: "y" });
    await expect.poll(latest(t, "q"), POLL).toMatchObject({
      docs: [{ id: "a", data: { tag: "x", n: 0 } }],
      changes: [{ type: "removed", id: "b" }],
    });
    expect(t.errors).toEqual([]);
  });

  it("a collection-group listener sees a new document under any parent", async () => {
    const t = await openAs();
    await t.steps.listenQuery("cg", "**/shared", [["tag", "==", "live"]]);
    await expect.poll(latest(t, "cg"), POLL).toMatchObject({ docs: [] });
    await admin.doc("open/listen-cg/p/1/shared/one").set({ tag: "live" });
    await admin.doc("feed/listen-cg/shared/two").set({ tag: "live" });
    await expect
      .poll(
        async () => ((await latest(t, "cg")()) as { docs?: { id: string }[] }).docs?.map((d) => d.id),
        POLL,
      )
      .toEqual(["two", "one"]);
  });

  it("a query listener the rules refuse ends with permission-denied", async () => {
    const t = await openAs("alice");
    await t.steps.listenQuery("lq", "locked");
    await expect.poll(latest(t, "lq"), POLL).toMatchObject({ kind: "error", code: "permission-denied" });
  });

  it("two tabs: one tab's write reaches the other's query listener", async () => {
    const reader = await openAs();
    const writerTab = await suite.open<FirestoreSteps>("firestore");
    try {
      await writerTab.steps.init(suite.emulator.client());
      await reader.steps.listenQuery("tabs", "open/tabs/items");
      await expect.poll(latest(reader, "tabs"), POLL).toMatchObject({ docs: [] });
      await writerTab.steps.setDoc("open/tabs/items/one", { from: "writer" });
      await expect
        .poll(latest(reader, "tabs"), POLL)
        .toMatchObject({ docs: [{ id: "one", data: { from: "writer" } }] });
    } finally {
      await writerTab.close();
    }
  });
});
