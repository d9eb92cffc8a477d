/** JS SDK behaviours that depend on the emulator's versions and snapshots: pending writes, named databases. */
import { deleteApp, initializeApp } from "firebase/app";
import {
  connectFirestoreEmulator,
  doc,
  getDocFromServer,
  getFirestore,
  onSnapshot,
  setDoc,
  waitForPendingWrites,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { adminFirestore } from "./helpers/admin.js";
import { type WebClient, webFirestore } from "./helpers/web.js";

let emu: TestEmulator;
let web: WebClient;

beforeAll(async () => {
  emu = await startTestEmulator();
  web = webFirestore(emu);
});
afterAll(async () => {
  await web.close();
  await emu.stop();
});

describe("JS SDK snapshot metadata", () => {
  it("a local write is pending until the server's snapshot confirms it", async () => {
    const ref = doc(web.db, "meta/pending");
    const states: boolean[] = [];
    const confirmed = new Promise<void>((resolve) => {
      const unsubscribe = onSnapshot(ref, { includeMetadataChanges: true }, (snap) => {
        if (!snap.exists()) return;
        states.push(snap.metadata.hasPendingWrites);
        if (!snap.metadata.hasPendingWrites) {
          unsubscribe();
          resolve();
        }
      });
    });
    await setDoc(ref, { v: 1 });
    await waitForPendingWrites(web.db);
    await confirmed;
    expect(states[0]).toBe(true);
    expect(states[states.length - 1]).toBe(false);
  });

  it("getDocFromServer reads through Listen even when the cache has the document", async () => {
    await setDoc(doc(web.db, "meta/server"), { v: 1 });
    const admin = adminFirestore(emu);
    await admin.doc("meta/server").set({ v: 2 });
    expect((await getDocFromServer(doc(web.db, "meta/server"))).get("v")).toBe(2);
    await admin.terminate();
  });
});

describe("named databases", () => {
  it("keep their own documents apart from (default)", async () => {
    const app = initializeApp({ projectId: emu.projectId, apiKey: "fake" }, "named-db");
    const second = getFirestore(app, "second");
    connectFirestoreEmulator(second, emu.host, emu.port);
    await setDoc(doc(second, "only/here"), { db: "second" });
    expect((await getDocFromServer(doc(second, "only/here"))).get("db")).toBe("second");
    expect((await getDocFromServer(doc(web.db, "only/here"))).exists()).toBe(false);
    await deleteApp(app);
  });
});
