/**
 * sdk_auth.json: what @firebase/rules-unit-testing contexts and firebase-admin saw against the official
 * emulator with allow-all rules.
 */
import { initializeTestEnvironment, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { collection, doc, getDoc, getDocs, onSnapshot, setDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../../support/emulator.js";
import { adminFirestore } from "../helpers/admin.js";
import { officialFixture } from "./official.js";

const recorded = new Map(
  officialFixture<Array<{ step: string; result: unknown }>>("sdk_auth.json").map((s) => [s.step, s.result]),
);
const ALLOW_ALL = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /{document=**} {
      allow read, write: if true;
    }
  }
}`;

let emu: TestEmulator;
let env: RulesTestEnvironment;

beforeAll(async () => {
  emu = await startTestEmulator();
  env = await initializeTestEnvironment({
    projectId: emu.projectId,
    firestore: { host: emu.host, port: emu.port, rules: ALLOW_ALL },
  });
});
afterAll(async () => {
  await env.cleanup();
  await emu.stop();
});

async function step(name: string, run: () => Promise<unknown>): Promise<void> {
  expect(recorded.has(name), name).toBe(true);
  expect(await run(), name).toEqual(recorded.get(name));
}

describe("conformance: sdk_auth.json (official emulator, allow-all rules)", () => {
  it("replays every recorded step in order", async () => {
    const user = env.authenticatedContext("alice").firestore();
    const anon = env.unauthenticatedContext().firestore();
    await step("user writes c/a", async () => {
      await setDoc(doc(user, "c/a"), { by: "alice" });
      return "ok";
    });
    await step("user reads c/a", async () => (await getDoc(doc(user, "c/a"))).data());
    await step(
      "user listens to c",
      () =>
        new Promise((resolve) => {
          const unsubscribe = onSnapshot(collection(user, "c"), (snap) => {
            unsubscribe();
            resolve(snap.docs.map((d) => d.id));
          });
        }),
    );
    await step("signed-out user reads c/a", async () => (await getDoc(doc(anon, "c/a"))).data());
    await step("signed-out user queries c", async () =>
      (await getDocs(collection(anon, "c"))).docs.map((d) => d.id),
    );
    let listed: string[] = [];
    await env.withSecurityRulesDisabled(async (ctx) => {
      await step("rules disabled writes c/b", async () => {
        await setDoc(doc(ctx.firestore(), "c/b"), { by: "owner" });
        return "ok";
      });
      listed = (await getDocs(collection(ctx.firestore(), "c"))).docs.map((d) => d.id);
    });
    await step("rules disabled lists c", async () => listed);
    const db = adminFirestore(emu);
    await step("Admin SDK lists collections", async () => (await db.listCollections()).map((c) => c.id));
    await step("Admin SDK reads c", async () =>
      (await db.collection("c").get()).docs.map((d) => [d.id, d.data()]),
    );
    await db.terminate();
  });
});
