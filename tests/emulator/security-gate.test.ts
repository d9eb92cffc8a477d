import {
  type GateWrite,
  type RunningEmulator,
  type SecurityGate,
  silentLogger,
  startEmulator,
} from "@hearth/emulator";
import {
  collection,
  deleteDoc,
  doc,
  getCountFromServer,
  getDoc,
  getDocs,
  onSnapshot,
  runTransaction,
  setDoc,
  writeBatch,
} from "firebase/firestore";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestEmulator } from "../support/emulator.js";
import { adminFirestore } from "./helpers/admin.js";
import { type WebClient, webFirestore } from "./helpers/web.js";

const deny = (message: string) => ({ allowed: false as const, message });
const allow = { allowed: true as const };

/** A tiny gate: `private/*` is closed to everyone but uid "boss"; writes with `blocked: true` are denied. */
const log: string[] = [];
let lastWrites: GateWrite[] = [];
let afterSeen: Record<string, boolean> = {};
const gate: SecurityGate = {
  setRules: () => ({ ok: true, issues: [] }),
  checkGet(path, ctx) {
    log.push(`get ${path} as ${ctx.auth?.uid ?? "anon"}`);
    return path.startsWith("private/") && ctx.auth?.uid !== "boss" ? deny(`get denied @ ${path}`) : allow;
  },
  checkQuery(query, ctx) {
    const from = (query.structuredQuery.from as Array<{ collectionId: string }>)[0]!;
    log.push(`list ${from.collectionId} as ${ctx.auth?.uid ?? "anon"}`);
    return from.collectionId === "private" ? deny("list denied") : allow;
  },
  checkWrites(writes, ctx) {
    lastWrites = writes;
    afterSeen = Object.fromEntries(["pair/a", "pair/b"].map((p) => [p, ctx.after.get(p) !== null]));
    for (const w of writes) {
      if (w.path.startsWith("private/")) return deny(`write denied @ ${w.path}`);
      if (w.after?.fields.blocked) return deny("blocked field");
    }
    return allow;
  },
};

let emulator: RunningEmulator;
let emu: TestEmulator;
let alice: WebClient;
let anon: WebClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, logger: silentLogger, gate });
  emu = { host: emulator.host, port: emulator.port, projectId: "demo-gate", stop: () => emulator.stop() };
  alice = webFirestore(emu, { uid: "alice" });
  anon = webFirestore(emu);
});
afterAll(async () => {
  await alice.close();
  await anon.close();
  await emulator.stop();
});
beforeEach(() => {
  log.length = 0;
});

describe("security gate: reads", () => {
  it("getDoc: denied with permission-denied and the gate's message", async () => {
    await expect(getDoc(doc(alice.db, "private/x"))).rejects.toMatchObject({
      code: "permission-denied",
      message: "get denied @ private/x",
    });
    expect(log).toContain("get private/x as alice");
  });

  it("getDoc: an unauthenticated caller reaches the gate with auth null", async () => {
    await getDoc(doc(anon.db, "public/x"));
    expect(log).toContain("get public/x as anon");
  });

  it("getDocs and count: queries are judged by checkQuery", async () => {
    await expect(getDocs(collection(alice.db, "private"))).rejects.toMatchObject({
      code: "permission-denied",
    });
    await expect(getCountFromServer(collection(alice.db, "private"))).rejects.toMatchObject({
      code: "permission-denied",
    });
    expect((await getDocs(collection(alice.db, "public"))).empty).toBe(true);
    expect(log).toContain("list public as alice");
  });

  it("onSnapshot: a denied listener gets permission-denied", async () => {
    const error = await new Promise<{ code: string }>((resolve) => {
      onSnapshot(
        doc(alice.db, "private/y"),
        () => {},
        (e) => resolve(e),
      );
    });
    expect(error.code).toBe("permission-denied");
  });

  it("admin (Bearer owner) bypasses the gate", async () => {
    const admin = adminFirestore(emu);
    await admin.doc("private/z").set({ v: 1 });
    expect((await admin.doc("private/z").get()).data()).toEqual({ v: 1 });
    expect(log.filter((l) => l.includes("private/z"))).toEqual([]);
    await admin.terminate();
  });
});

describe("security gate: writes", () => {
  it("setDoc: denied writes reject and change nothing", async () => {
    await expect(setDoc(doc(alice.db, "private/w"), { v: 1 })).rejects.toMatchObject({
      code: "permission-denied",
    });
    await expect(setDoc(doc(alice.db, "open/w"), { blocked: true })).rejects.toMatchObject({
      code: "permission-denied",
    });
    const admin = adminFirestore(emu);
    expect((await admin.doc("open/w").get()).exists).toBe(false);
    await admin.terminate();
  });

  it("methods: create, update and delete are resolved from the stored state", async () => {
    await setDoc(doc(alice.db, "open/m"), { v: 1 });
    expect(lastWrites.map((w) => w.method)).toEqual(["create"]);
    await setDoc(doc(alice.db, "open/m"), { v: 2 });
    expect(lastWrites.map((w) => [w.method, w.before?.fields.v, w.after?.fields.v])).toEqual([
      ["update", { integerValue: "1" }, { integerValue: "2" }],
    ]);
    await deleteDoc(doc(alice.db, "open/m"));
    expect(lastWrites.map((w) => [w.method, w.after])).toEqual([["delete", null]]);
  });

  it("batches: the after-lookup sees every write of the batch", async () => {
    const batch = writeBatch(alice.db);
    batch.set(doc(alice.db, "pair/a"), { v: 1 });
    batch.set(doc(alice.db, "pair/b"), { v: 2 });
    await batch.commit();
    expect(lastWrites.map((w) => w.path)).toEqual(["pair/a", "pair/b"]);
    expect(afterSeen).toEqual({ "pair/a": true, "pair/b": true });
  });

  it("transactions: a verified read is not reported as a write", async () => {
    await setDoc(doc(alice.db, "open/read"), { v: 1 });
    await runTransaction(alice.db, async (tx) => {
      await tx.get(doc(alice.db, "open/read"));
      tx.set(doc(alice.db, "open/written"), { v: 2 });
    });
    expect(lastWrites.map((w) => `${w.method} ${w.path}`)).toEqual(["create open/written"]);
  });
});
