import { initializeTestEnvironment, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { collection, doc, getDoc, getDocs, onSnapshot, setDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { adminFirestore } from "./helpers/admin.js";

let emu: TestEmulator;
let env: RulesTestEnvironment;

beforeAll(async () => {
  emu = await startTestEmulator();
  env = await initializeTestEnvironment({
    projectId: emu.projectId,
    firestore: { host: emu.host, port: emu.port },
  });
});
afterAll(async () => {
  await env.cleanup();
  await emu.stop();
});

describe("rules-unit-testing against the open default", () => {
  it("contexts: signed-in, signed-out and rules-disabled clients all read and write", async () => {
    const alice = env.authenticatedContext("alice").firestore();
    await setDoc(doc(alice, "c/a"), { by: "alice" });
    expect((await getDoc(doc(alice, "c/a"))).data()).toEqual({ by: "alice" });
    const listened = await new Promise<string[]>((resolve) => {
      const unsubscribe = onSnapshot(collection(alice, "c"), (snap) => {
        unsubscribe();
        resolve(snap.docs.map((d) => d.id));
      });
    });
    expect(listened).toEqual(["a"]);
    const anon = env.unauthenticatedContext().firestore();
    expect((await getDoc(doc(anon, "c/a"))).data()).toEqual({ by: "alice" });
    await env.withSecurityRulesDisabled(async (ctx) => {
      await setDoc(doc(ctx.firestore(), "c/b"), { by: "owner" });
      expect((await getDocs(collection(ctx.firestore(), "c"))).docs.map((d) => d.id)).toEqual(["a", "b"]);
    });
  });

  it("compat API: the same emulator serves firebase/compat clients", async () => {
    const compat = env.authenticatedContext("bob").firestore();
    // rules-unit-testing returns a compat Firestore instance.
    const ref = (
      compat as unknown as {
        doc(path: string): { set(v: unknown): Promise<void>; get(): Promise<{ data(): unknown }> };
      }
    ).doc("compat/x");
    await ref.set({ v: 1 });
    expect((await ref.get()).data()).toEqual({ v: 1 });
  });

  it("clearFirestore: removes this project's data only", async () => {
    const other = adminFirestore(emu, `${emu.projectId}-other`);
    await other.doc("keep/me").set({ v: 1 });
    await env.clearFirestore();
    await env.withSecurityRulesDisabled(async (ctx) => {
      expect((await getDoc(doc(ctx.firestore(), "c/a"))).exists()).toBe(false);
    });
    expect((await other.doc("keep/me").get()).exists).toBe(true);
    await other.terminate();
  });
});
