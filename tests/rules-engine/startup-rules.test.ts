import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { doc, getDoc, setDoc } from "firebase/firestore";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestEmulator } from "../support/emulator.js";
import { type RulesHarness, startRulesHarness } from "./support.js";

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /notes/{uid} {
      allow read, write: if request.auth.uid == uid;
    }
  }
}`;

let h: RulesHarness;
beforeAll(async () => {
  h = await startRulesHarness(RULES, "startup");
});
afterAll(() => h?.stop());

it("start-up rules apply to a project that never loaded its own", async () => {
  const mine = h.env.authenticatedContext("ann").firestore();
  await assertSucceeds(setDoc(doc(mine, "notes/ann"), { t: 1 }));
  await assertSucceeds(getDoc(doc(mine, "notes/ann")));
  await assertFails(getDoc(doc(h.env.authenticatedContext("bob").firestore(), "notes/ann")));
  await assertFails(getDoc(doc(h.env.unauthenticatedContext().firestore(), "notes/ann")));
  await assertFails(setDoc(doc(mine, "elsewhere/x"), { t: 1 }));
});

it("start-up rules that do not compile stop the emulator from starting", async () => {
  await expect(
    startTestEmulator({ rules: "service cloud.firestore { match /x { allow read: if (; } }" }),
  ).rejects.toThrow(/firestore\.rules:1:\d+/);
});
