/** The JS SDK's compat API, and modular listeners over windows, cursors and collection groups. */
import compatApp from "firebase/compat/app";
import "firebase/compat/firestore";
import {
  collection,
  collectionGroup,
  doc,
  endBefore,
  getDocs,
  limit,
  limitToLast,
  onSnapshot,
  or,
  orderBy,
  type Query,
  query,
  setDoc,
  startAfter,
  updateDoc,
  where,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { type WebClient, webFirestore } from "./helpers/web.js";

// firebase's compat typings are CommonJS-shaped (a default export inside a CJS .d.ts) while Node loads
// its ESM build, whose default export is the namespace itself.
const firebase = compatApp as unknown as typeof compatApp.default;

let emu: TestEmulator;
let web: WebClient;

beforeAll(async () => {
  emu = await startTestEmulator();
  web = webFirestore(emu);
  for (let i = 1; i <= 6; i++)
    await setDoc(doc(web.db, `ranks/r${i}`), { rank: i, team: i % 2 ? "odd" : "even" });
});
afterAll(async () => {
  await web.close();
  await emu.stop();
});

/** Resolves with the ids of the first snapshot that satisfies `accept`. */
function watchIds(
  q: Query,
  accept: (ids: string[]) => boolean,
): { next: Promise<string[]>; stop: () => void } {
  let stop = () => {};
  const next = new Promise<string[]>((resolve, reject) => {
    stop = onSnapshot(
      q,
      (snap) => {
        const ids = snap.docs.map((d) => d.id);
        if (accept(ids)) resolve(ids);
      },
      reject,
    );
  });
  return { next, stop };
}

describe("JS SDK compat API", () => {
  it("set, get, where and onSnapshot through firebase/compat", async () => {
    const app = firebase.initializeApp({ projectId: emu.projectId, apiKey: "fake" }, "compat");
    const db = app.firestore();
    db.useEmulator(emu.host, emu.port);
    await db.doc("compat/a").set({ n: 1 });
    await db.collection("compat").add({ n: 2 });
    expect((await db.doc("compat/a").get()).data()).toEqual({ n: 1 });
    const snap = await db.collection("compat").where("n", ">", 1).get();
    expect(snap.docs.map((d) => d.get("n"))).toEqual([2]);
    const seen = await new Promise<number>((resolve) => {
      const unsubscribe = db.collection("compat").onSnapshot((s) => {
        if (s.size === 2) {
          unsubscribe();
          resolve(s.size);
        }
      });
    });
    expect(seen).toBe(2);
    await app.delete();
  });
});

describe("JS SDK listeners and queries", () => {
  it("limit window: a document entering the top-2 pushes another out", async () => {
    const watcher = watchIds(query(collection(web.db, "ranks"), orderBy("rank", "desc"), limit(2)), (ids) =>
      ids.includes("r1"),
    );
    await updateDoc(doc(web.db, "ranks/r1"), { rank: 100 });
    expect(await watcher.next).toEqual(["r1", "r6"]);
    watcher.stop();
    await updateDoc(doc(web.db, "ranks/r1"), { rank: 1 });
  });

  it("limitToLast and cursors", async () => {
    const byRank = query(collection(web.db, "ranks"), orderBy("rank"));
    expect((await getDocs(query(byRank, limitToLast(2)))).docs.map((d) => d.id)).toEqual(["r5", "r6"]);
    expect((await getDocs(query(byRank, startAfter(2), endBefore(5)))).docs.map((d) => d.id)).toEqual([
      "r3",
      "r4",
    ]);
  });

  it("OR queries and collection groups over Listen", async () => {
    const q = query(collection(web.db, "ranks"), or(where("rank", "==", 1), where("team", "==", "even")));
    expect((await getDocs(q)).docs.map((d) => d.id)).toEqual(["r1", "r2", "r4", "r6"]);
    await setDoc(doc(web.db, "teams/a/players/p1"), { name: "x" });
    await setDoc(doc(web.db, "teams/b/players/p2"), { name: "y" });
    const watcher = watchIds(collectionGroup(web.db, "players"), (ids) => ids.length === 3);
    await setDoc(doc(web.db, "leagues/l/teams/c/players/p3"), { name: "z" });
    // Ordered by full path: leagues/… sorts before teams/….
    expect(await watcher.next).toEqual(["p3", "p1", "p2"]);
    watcher.stop();
  });
});
