/**
 * A resumed Listen target gets only what changed since its resume token (or read time) while the
 * emulator's history reaches back that far, as production sends; older or foreign tokens still start
 * over with RESET. Checked on the wire, and through the web SDK and firebase-admin re-listening.
 */
import { collection, onSnapshot, query, where } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireObject as Raw } from "../../emulator/src/wire/object.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { adminFirestore } from "./helpers/admin.js";
import { FirestoreRpc } from "./helpers/grpc.js";
import { type WebClient, webFirestore } from "./helpers/web.js";

let emu: TestEmulator;
let rpc: FirestoreRpc;
let db: ReturnType<typeof adminFirestore>;
let web: WebClient;
let database: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  rpc = new FirestoreRpc(emu);
  db = adminFirestore(emu);
  web = webFirestore(emu, { owner: true });
  database = `projects/${emu.projectId}/databases/(default)`;
});
afterAll(async () => {
  await web.close();
  await db.terminate();
  rpc.close();
  await emu.stop();
});

/** "ADD", "RESET", "DOC c/a", "DELETE c/b", "REMOVE_DOC c/c", "CURRENT", "GLOBAL". */
function label(m: Raw): string {
  const path = (name: unknown) => String(name).replace(`${database}/documents/`, "");
  const tc = m.targetChange as Raw | undefined;
  if (tc) {
    const type = (tc.targetChangeType as string | undefined) ?? "NO_CHANGE";
    return type === "NO_CHANGE" && ((tc.targetIds as number[] | undefined) ?? []).length === 0
      ? "GLOBAL"
      : type;
  }
  if (m.documentChange) return `DOC ${path(((m.documentChange as Raw).document as Raw).name)}`;
  if (m.documentDelete) return `DELETE ${path((m.documentDelete as Raw).document)}`;
  if (m.documentRemove) return `REMOVE_DOC ${path((m.documentRemove as Raw).document)}`;
  return JSON.stringify(m);
}

const queryTarget = (targetId: number, extra: Raw = {}) => ({
  database,
  addTarget: {
    targetId,
    query: {
      parent: `${database}/documents`,
      structuredQuery: {
        from: [{ collectionId: "resume" }],
        where: { fieldFilter: { field: { fieldPath: "open" }, op: "EQUAL", value: { booleanValue: true } } },
      },
    },
    ...extra,
  },
});

/** Listens until CURRENT and the global snapshot; returns the labels and the CURRENT resume token. */
async function listenOnce(request: Raw): Promise<{ labels: string[]; token: Buffer }> {
  const stream = rpc.bidi("Listen", false);
  stream.send(request);
  await stream.until((r) => r.some((m) => label(m) === "GLOBAL"));
  stream.close();
  const current = stream.received.find((m) => label(m) === "CURRENT")!.targetChange as Raw;
  return { labels: stream.received.map(label), token: current.resumeToken as Buffer };
}

describe("resumed listen targets", () => {
  it("a resumed query target gets the changes since its token, and no RESET", async () => {
    await db.doc("resume/same").set({ open: true });
    await db.doc("resume/edited").set({ open: true, v: 1 });
    await db.doc("resume/deleted").set({ open: true });
    await db.doc("resume/closed").set({ open: true });
    const first = await listenOnce(queryTarget(2));
    expect(first.labels.filter((l) => l.startsWith("DOC")).sort()).toEqual([
      "DOC resume/closed",
      "DOC resume/deleted",
      "DOC resume/edited",
      "DOC resume/same",
    ]);

    await db.doc("resume/edited").update({ v: 2 });
    await db.doc("resume/deleted").delete();
    await db.doc("resume/closed").update({ open: false });
    await db.doc("resume/added").set({ open: true });

    const resumed = await listenOnce(queryTarget(4, { resumeToken: first.token }));
    expect(resumed.labels[0]).toBe("ADD");
    expect(resumed.labels).not.toContain("RESET");
    expect(resumed.labels.slice(1, -2).sort()).toEqual([
      "DELETE resume/deleted",
      "DOC resume/added",
      "DOC resume/edited",
      "REMOVE_DOC resume/closed",
    ]);
    expect(resumed.labels.slice(-2)).toEqual(["CURRENT", "GLOBAL"]);
  });

  it("a documents target resumed by read time; a foreign or too old token starts over with RESET", async () => {
    await db.doc("resume/one").set({ v: 1 });
    const docTarget = (extra: Raw) => ({
      database,
      addTarget: { targetId: 6, documents: { documents: [`${database}/documents/resume/one`] }, ...extra },
    });
    const first = await listenOnce(docTarget({}));
    const micros = first.token.readBigInt64BE();
    const readTime = { seconds: Number(micros / 1_000_000n), nanos: Number(micros % 1_000_000n) * 1000 };
    const unchanged = await listenOnce(docTarget({ readTime }));
    expect(unchanged.labels).toEqual(["ADD", "CURRENT", "GLOBAL"]);

    const foreign = await listenOnce(docTarget({ resumeToken: Buffer.from("elsewhere") }));
    expect(foreign.labels).toEqual(["ADD", "RESET", "DOC resume/one", "CURRENT", "GLOBAL"]);
    const old = Buffer.alloc(8);
    old.writeBigInt64BE(BigInt(Date.now() - 2 * 60 * 60 * 1000) * 1000n);
    const tooOld = await listenOnce(docTarget({ resumeToken: old }));
    expect(tooOld.labels).toEqual(["ADD", "RESET", "DOC resume/one", "CURRENT", "GLOBAL"]);
  });

  it("the web SDK re-listening to a query (it resumes with its token) sees edits, deletes and leavers", async () => {
    for (const id of ["w1", "w2", "w3"]) await db.doc(`webresume/${id}`).set({ open: true, v: 1 });
    const q = query(collection(web.db, "webresume"), where("open", "==", true));
    const snapshot = () =>
      new Promise<Record<string, number>>((resolve) => {
        const stop = onSnapshot(q, (snap) => {
          if (snap.metadata.fromCache) return;
          stop();
          resolve(Object.fromEntries(snap.docs.map((d) => [d.id, d.get("v") as number])));
        });
      });
    expect(await snapshot()).toEqual({ w1: 1, w2: 1, w3: 1 });
    await db.doc("webresume/w1").update({ v: 2 });
    await db.doc("webresume/w2").delete();
    await db.doc("webresume/w3").update({ open: false });
    await db.doc("webresume/w4").set({ open: true, v: 4 });
    expect(await snapshot()).toEqual({ w1: 2, w4: 4 });
  });

  it("firebase-admin listeners see the same after re-listening", async () => {
    for (const id of ["a1", "a2"]) await db.doc(`adminresume/${id}`).set({ n: 1 });
    const once = () =>
      new Promise<string[]>((resolve) => {
        const stop = db.collection("adminresume").onSnapshot((snap) => {
          stop();
          resolve(snap.docs.map((d) => `${d.id}:${d.get("n")}`));
        });
      });
    expect(await once()).toEqual(["a1:1", "a2:1"]);
    await db.doc("adminresume/a2").delete();
    await db.doc("adminresume/a1").update({ n: 2 });
    expect(await once()).toEqual(["a1:2"]);
  });
});
