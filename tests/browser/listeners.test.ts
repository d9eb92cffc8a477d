/**
 * onSnapshot in Chromium (WebChannel Listen stream) seeing writes made by a second client,
 * firebase-admin in Node, and listeners the rules refuse.
 */
import { describe, expect, it } from "vitest";
import type { FirestoreSteps } from "./pages/firestore.js";
import type { ListenEvent } from "./pages/runtime.js";
import { browserTests } from "./support/browser-tests.js";
import type { Tab } from "./support/suite.js";

const env = browserTests();

const openAs = (uid?: string) => env.firestore(uid ? { uid } : {});

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
    await env.admin.doc("open/watched").set({ n: 1 });
    await expect.poll(latest(t, "d"), POLL).toMatchObject({ docs: [{ data: { n: 1 } }] });
    await env.admin.doc("open/watched").update({ n: 2 });
    await expect.poll(latest(t, "d"), POLL).toMatchObject({ docs: [{ data: { n: 2 } }] });
    await env.admin.doc("open/watched").delete();
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
    await env.admin.doc("locked/watched").set({ n: 1 });
    const t = await openAs("alice");
    await t.steps.listenDoc("denied", "locked/watched");
    await expect.poll(latest(t, "denied"), POLL).toMatchObject({ kind: "error", code: "permission-denied" });
    expect((await t.steps.events("denied")).filter((e) => e.kind === "snapshot" && !e.fromCache)).toEqual([]);
  });

  it("a signed-in user listens to their own document but not another user's", async () => {
    const t = await openAs("alice");
    await t.steps.listenDoc("mine", "users/alice/profile/main");
    await t.steps.listenDoc("theirs", "users/bob/profile/main");
    await env.admin.doc("users/alice/profile/main").set({ name: "Alice" });
    await expect.poll(latest(t, "mine"), POLL).toMatchObject({ docs: [{ data: { name: "Alice" } }] });
    await expect.poll(latest(t, "theirs"), POLL).toMatchObject({ kind: "error", code: "permission-denied" });
  });
});

describe("query listeners", () => {
  it("see documents enter, change and leave a filtered, ordered query", async () => {
    const t = await openAs();
    await env.admin.doc("open/q/items/a").set({ tag: "x", n: 2 });
    await t.steps.listenQuery("q", "open/q/items", [["tag", "==", "x"]], "n");
    await expect.poll(latest(t, "q"), POLL).toMatchObject({ docs: [{ id: "a" }] });
    await env.admin.doc("open/q/items/b").set({ tag: "x", n: 1 });
    await env.admin.doc("open/q/items/c").set({ tag: "y", n: 0 });
    await expect
      .poll(
        async () => ((await latest(t, "q")()) as { docs?: { id: string }[] }).docs?.map((d) => d.id),
        POLL,
      )
      .toEqual(["b", "a"]);
    await env.admin.doc("open/q/items/a").update({ n: 0 });
    await expect
      .poll(
        async () => ((await latest(t, "q")()) as { docs?: { id: string }[] }).docs?.map((d) => d.id),
        POLL,
      )
      .toEqual(["a", "b"]);
    await env.admin.doc("open/q/items/b").update({ tag: "y" });
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
    await env.admin.doc("open/listen-cg/p/1/shared/one").set({ tag: "live" });
    await env.admin.doc("feed/listen-cg/shared/two").set({ tag: "live" });
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
    const writerTab = await env.suite.open<FirestoreSteps>("firestore");
    try {
      await writerTab.steps.init(env.suite.emulator.client());
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
