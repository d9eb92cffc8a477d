/**
 * @firebase/rules-unit-testing's storage contract, unchanged: rules loaded with PUT /internal/setRules,
 * `authenticatedContext().storage()` judged by them (with firestore.get() over docs written through the
 * same test environment), `withSecurityRulesDisabled` via the owner token, and `clearStorage()`.
 */
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type StorageTestEmulator, startStorageEmulator } from "./helpers.js";

const RULES = `rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /teams/{team}/{file} {
      allow read: if firestore.exists(/databases/(default)/documents/teams/$(team)/members/$(request.auth.uid));
      allow create: if firestore.get(/databases/(default)/documents/teams/$(team)/members/$(request.auth.uid)).data.canWrite == true
        && request.resource.size < 100;
      allow delete: if resource.metadata.owner == request.auth.uid;
    }
    match /{top} { allow read, write: if request.auth != null; }
  }
}`;

let emu: StorageTestEmulator;
let env: RulesTestEnvironment;

beforeAll(async () => {
  emu = await startStorageEmulator();
  env = await initializeTestEnvironment({
    projectId: emu.projectId,
    firestore: { host: emu.host, port: emu.port },
    storage: { host: emu.host, port: emu.storagePort, rules: RULES },
  });
  await env.withSecurityRulesDisabled(async (ctx) => {
    await ctx.firestore().doc("teams/red/members/alice").set({ canWrite: true });
    await ctx.firestore().doc("teams/red/members/bob").set({ canWrite: false });
  });
});

afterAll(async () => {
  await env.cleanup();
  await emu.stop();
});

beforeEach(async () => {
  await env.clearStorage();
});

const bytes = (n: number) => new Uint8Array(n).fill(65);

describe("rules-unit-testing storage()", () => {
  it("assertSucceeds and assertFails follow the rules, with firestore.get() on the environment's docs", async () => {
    const alice = env.authenticatedContext("alice").storage();
    const bob = env.authenticatedContext("bob").storage();
    const eve = env.authenticatedContext("eve").storage();
    // An UploadTask is only thenable; .then() makes the Promise the assertions take.
    await assertSucceeds(
      alice
        .ref("teams/red/plan.txt")
        .put(bytes(10), { customMetadata: { owner: "alice" } })
        .then(),
    );
    await assertFails(alice.ref("teams/red/big.txt").put(bytes(100)).then());
    await assertFails(bob.ref("teams/red/bob.txt").put(bytes(10)).then());
    await assertSucceeds(bob.ref("teams/red/plan.txt").getDownloadURL());
    await assertFails(eve.ref("teams/red/plan.txt").getMetadata());
    await assertFails(env.unauthenticatedContext().storage().ref("top.txt").put(bytes(1)).then());
    await assertFails(bob.ref("teams/red/plan.txt").delete());
    await assertSucceeds(alice.ref("teams/red/plan.txt").delete());
  });

  it("withSecurityRulesDisabled writes anything; clearStorage empties the bucket's top level", async () => {
    await env.withSecurityRulesDisabled(async (ctx) => {
      await ctx.storage().ref("seeded.txt").put(bytes(3));
      await ctx.storage().ref("teams/blue/seeded.txt").put(bytes(3));
    });
    const alice = env.authenticatedContext("alice").storage();
    expect((await alice.ref().listAll()).items.map((i) => i.name)).toEqual(["seeded.txt"]);
    await env.clearStorage();
    expect((await alice.ref().listAll()).items).toEqual([]);
  });

  it("setRules answers a compile error with 400 and the place of each error; the old rules stay", async () => {
    const res = await fetch(`http://${emu.host}:${emu.storagePort}/internal/setRules`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        rules: {
          files: [
            {
              name: "storage.rules",
              content: "service firebase.storage {\n  match /b { allow read: if ; }\n}",
            },
          ],
        },
      }),
    });
    expect(res.status).toBe(400);
    const { message } = (await res.json()) as { message: string };
    expect(message).toMatch(/^Storage rules failed to compile:\nstorage\.rules:2:/);
    await assertFails(env.unauthenticatedContext().storage().ref("top.txt").put(bytes(1)).then());
    await expect(
      initializeTestEnvironment({
        projectId: emu.projectId,
        storage: { host: emu.host, port: emu.storagePort, rules: "service firebase.storage { match" },
      }),
    ).rejects.toThrow(/Storage rules failed to compile/);
  });

  it("POST /internal/reset removes every object", async () => {
    await env.withSecurityRulesDisabled((ctx) =>
      ctx.storage().ref("teams/red/deep.txt").put(bytes(1)).then(),
    );
    const res = await fetch(`http://${emu.host}:${emu.storagePort}/internal/reset`, { method: "POST" });
    expect(res.status).toBe(200);
    const alice = env.authenticatedContext("alice").storage();
    await expect(alice.ref("teams/red/deep.txt").getMetadata()).rejects.toMatchObject({
      code: "storage/object-not-found",
    });
  });
});
