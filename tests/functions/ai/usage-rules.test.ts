import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import {
  collection,
  deleteDoc,
  doc,
  getAggregateFromServer,
  getDoc,
  getDocs,
  setDoc,
  sum,
  updateDoc,
  writeBatch,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RulesEnv, startRulesEnv } from "../../rules/support/env.js";
import { type Actor, dbFor, seedWorld } from "../../rules/support/world.js";

/**
 * Usage documents through the repo's firestore.rules, as a frontend sees them: members read the month's
 * summary, its counter shards and per-user counters; nobody writes them from a client; the AI
 * bookkeeping collections are closed to every client.
 */
let env: RulesEnv;
const USAGE = "orgs/acme/usage/2026-05";
const PATHS = [USAGE, `${USAGE}/shards/0`, `${USAGE}/users/member`, `${USAGE}/users/owner`];
const BOOKKEEPING = ["aiCache/h-acme", "rateLimits/k-acme", "aiReservations/r-acme"];

beforeAll(async () => {
  env = await startRulesEnv();
  await seedWorld(env.testEnv);
  await env.testEnv.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore();
    const batch = writeBatch(db as never);
    const shard = { calls: 4, inputTokens: 40, outputTokens: 80, costMicros: 200, reservedCalls: 1 };
    batch.set(doc(db as never, USAGE), { aiCalls: 4 });
    batch.set(doc(db as never, `${USAGE}/shards/0`), shard);
    batch.set(doc(db as never, `${USAGE}/users/member`), { calls: 4 });
    batch.set(doc(db as never, `${USAGE}/users/owner`), { calls: 0 });
    batch.set(doc(db as never, "aiCache/h-acme"), { orgId: "acme", text: "secret answer" });
    batch.set(doc(db as never, "rateLimits/k-acme"), { tokens: 1 });
    batch.set(doc(db as never, "aiReservations/r-acme"), { orgId: "acme", calls: 1 });
    await batch.commit();
  });
});
afterAll(() => env?.stop());

const MEMBERS: Actor[] = ["owner", "admin", "member", "viewer"];
const OUTSIDERS: Actor[] = ["stranger", "rival", "anonymous"];

describe("usage: reads", () => {
  it.each(MEMBERS)("%s reads the summary, every shard and per-user counters", async (actor) => {
    const db = dbFor(env.testEnv, actor);
    for (const path of PATHS) await assertSucceeds(getDoc(doc(db, path)));
    await assertSucceeds(getDocs(collection(db, `${USAGE}/shards`)));
    await assertSucceeds(getDocs(collection(db, `${USAGE}/users`)));
    await assertSucceeds(getDocs(collection(db, "orgs/acme/usage")));
  });

  it.each(OUTSIDERS)("%s reads none of it", async (actor) => {
    const db = dbFor(env.testEnv, actor);
    for (const path of PATHS) await assertFails(getDoc(doc(db, path)));
    await assertFails(getDocs(collection(db, `${USAGE}/shards`)));
    await assertFails(getDocs(collection(db, "orgs/acme/usage")));
  });
});

describe("usage: the sum a frontend shows (docs/ai.md)", () => {
  it("a viewer sums the shards with one aggregation query", async () => {
    const shards = collection(dbFor(env.testEnv, "viewer"), `${USAGE}/shards`);
    const totals = await assertSucceeds(
      getAggregateFromServer(shards, { calls: sum("calls"), cost: sum("costMicros") }),
    );
    expect(totals.data()).toEqual({ calls: 4, cost: 200 });
  });

  it("an outsider cannot", async () => {
    const shards = collection(dbFor(env.testEnv, "stranger"), `${USAGE}/shards`);
    await assertFails(getAggregateFromServer(shards, { calls: sum("calls") }));
  });
});

describe("usage: writes", () => {
  it.each(MEMBERS)("%s cannot create, change or delete usage documents", async (actor) => {
    const db = dbFor(env.testEnv, actor);
    for (const path of PATHS) {
      await assertFails(setDoc(doc(db, path), { calls: 0 }));
      await assertFails(updateDoc(doc(db, path), { calls: 0 }));
      await assertFails(deleteDoc(doc(db, path)));
    }
    await assertFails(setDoc(doc(db, `${USAGE}/shards/9`), { allotCalls: 1_000_000 }));
    await assertFails(setDoc(doc(db, "orgs/acme/usage/2026-06"), { aiCalls: 0 }));
  });
});

describe("AI bookkeeping: closed to clients", () => {
  it.each([...MEMBERS, ...OUTSIDERS])(
    "%s can neither read nor write aiCache, rateLimits, aiReservations",
    async (actor) => {
      const db = dbFor(env.testEnv, actor);
      for (const path of BOOKKEEPING) {
        await assertFails(getDoc(doc(db, path)));
        await assertFails(setDoc(doc(db, path), { orgId: "acme" }));
        await assertFails(deleteDoc(doc(db, path)));
      }
      await assertFails(getDocs(collection(db, "aiCache")));
      await assertFails(getDocs(collection(db, "aiReservations")));
    },
  );
});
