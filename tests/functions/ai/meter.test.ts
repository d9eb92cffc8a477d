import { UsageShard } from "@hearth/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../../functions/src/lib/clock.js";
import { SHARD_COUNT } from "../../../functions/src/usage/caps.js";
import { closeReservation, readCommitted, reserve } from "../../../functions/src/usage/meter.js";
import { type AiTestEnv, newId, startAiTestEnv, usageOf } from "./support.js";

let env: AiTestEnv;
beforeAll(async () => {
  env = await startAiTestEnv();
});
afterAll(() => env?.stop());

const hard = { calls: SHARD_COUNT * 2, costMicros: 1_000_000 };
const one = { calls: 1, costMicros: 100 };

/** Picks shards in the given order (one random number per pick). */
function picks(...shards: number[]) {
  let i = 0;
  return () => (shards[i++ % shards.length]! + 0.5) / SHARD_COUNT;
}

/** A month whose shards are cut for `hard`, two calls each, with `full` shards already used up. */
async function cutMonth(full: number[]) {
  const orgId = newId("org");
  const batch = env.db.batch();
  for (let i = 0; i < SHARD_COUNT; i++) {
    batch.set(env.db.doc(`orgs/${orgId}/usage/2026-04/shards/${i}`), {
      calls: full.includes(i) ? 2 : 0,
      costMicros: 0,
      reservedCalls: 0,
      reservedCostMicros: 0,
      allotCalls: 2,
      allotCostMicros: hard.costMicros / SHARD_COUNT,
      capCalls: hard.calls,
      capCostMicros: hard.costMicros,
    });
  }
  await batch.commit();
  return orgId;
}

/** Allotted calls per shard, indexed by shard number. */
async function allots(orgId: string): Promise<number[]> {
  const snap = await env.db.collection(`orgs/${orgId}/usage/2026-04/shards`).get();
  const out: number[] = [];
  for (const d of snap.docs) out[Number(d.id)] = d.get("allotCalls");
  return out;
}

describe("reserve", () => {
  it("fast path: a shard with room takes the call without touching the others", async () => {
    const orgId = await cutMonth([]);
    const before = await allots(orgId);
    const r = await reserve(
      { db: env.db, clock: systemClock, random: picks(5) },
      { orgId, period: "2026-04", uid: "ann", hard, amount: one },
    );
    expect(r.shard).toBe(5);
    expect(await allots(orgId)).toEqual(before);
    expect(await usageOf(env.db, orgId, "2026-04")).toMatchObject({ reservedCalls: 1, openReservations: 1 });
  });

  it("probe: a full shard sends the call to another shard with room, still without a recut", async () => {
    const orgId = await cutMonth([0, 1]);
    const before = await allots(orgId);
    const r = await reserve(
      { db: env.db, clock: systemClock, random: picks(0, 1, 7) },
      { orgId, period: "2026-04", uid: "ann", hard, amount: one },
    );
    expect(r.shard).toBe(7);
    expect(await allots(orgId)).toEqual(before);
  });

  it("rebalance: when the probes find only full shards, the slack is recut to the caller's shard", async () => {
    const full = Array.from({ length: SHARD_COUNT - 1 }, (_, i) => i);
    const orgId = await cutMonth(full);
    const r = await reserve(
      { db: env.db, clock: systemClock, random: picks(0, 1, 2, 3) },
      { orgId, period: "2026-04", uid: "ann", hard, amount: one },
    );
    expect(r.shard).toBe(3);
    const after = await allots(orgId);
    expect(after.reduce((a, b) => a + b, 0)).toBe(hard.calls);
    // Shard 3 keeps its 2 used calls, takes this one and gets the only call of slack left.
    expect(after[3]).toBe(4);
    expect(await readCommitted(env.db, orgId, "2026-04")).toEqual({
      calls: (SHARD_COUNT - 1) * 2 + 1,
      costMicros: 100,
    });
  });

  it("settle then close again: the second close changes nothing", async () => {
    const orgId = await cutMonth([]);
    const deps = { db: env.db, clock: systemClock, random: picks(2) };
    const r = await reserve(deps, { orgId, period: "2026-04", uid: "ann", hard, amount: one });
    expect(await closeReservation(deps, r, { inputTokens: 10, outputTokens: 20, costMicros: 50 })).toBe(true);
    expect(await closeReservation(deps, r)).toBe(false);
    expect(await usageOf(env.db, orgId, "2026-04")).toMatchObject({
      calls: 1,
      inputTokens: 10,
      outputTokens: 20,
      costMicros: 50,
      reservedCalls: 0,
      reservedCostMicros: 0,
      openReservations: 0,
    });
    // What meter.ts writes is what schema/ tells frontends a shard holds.
    const shard = await env.db.doc(`orgs/${orgId}/usage/2026-04/shards/2`).get();
    expect(UsageShard.safeParse(shard.data()).success).toBe(true);
    const user = await env.db.doc(`orgs/${orgId}/usage/2026-04/users/ann`).get();
    expect(user.data()).toMatchObject({ calls: 1, inputTokens: 10, outputTokens: 20, costMicros: 50 });
  });
});

describe("closeReservation under contention", () => {
  const charge = { inputTokens: 10, outputTokens: 20, costMicros: 50 };

  /** env.db, whose first `failures` transactions are refused with `code` before they start. */
  function refusing(failures: number, code: number) {
    let refused = 0;
    const db = new Proxy(env.db, {
      get(target, prop) {
        if (prop === "runTransaction") {
          return (...args: Parameters<typeof target.runTransaction>) => {
            if (refused >= failures) return target.runTransaction(...args);
            refused++;
            return Promise.reject(Object.assign(new Error(`${code} lost a race`), { code }));
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    return { db, refused: () => refused };
  }

  it("an answered call's close keeps trying past more lost races than the SDK's 5 attempts, and charges once", async () => {
    const orgId = await cutMonth([]);
    const deps = { db: env.db, clock: systemClock, random: picks(4) };
    const r = await reserve(deps, { orgId, period: "2026-04", uid: "ann", hard, amount: one });
    const racing = refusing(8, 10);
    expect(await closeReservation({ db: racing.db }, r, charge)).toBe(true);
    expect(racing.refused()).toBe(8);
    expect(await usageOf(env.db, orgId, "2026-04")).toMatchObject({
      calls: 1,
      costMicros: 50,
      reservedCalls: 0,
      openReservations: 0,
    });
  });

  it("any other error fails the close at once, and changes nothing", async () => {
    const orgId = await cutMonth([]);
    const deps = { db: env.db, clock: systemClock, random: picks(4) };
    const r = await reserve(deps, { orgId, period: "2026-04", uid: "ann", hard, amount: one });
    const failing = refusing(1, 14);
    await expect(closeReservation({ db: failing.db }, r, charge)).rejects.toMatchObject({ code: 14 });
    expect(failing.refused()).toBe(1);
    expect(await usageOf(env.db, orgId, "2026-04")).toMatchObject({ calls: 0, reservedCalls: 1 });
  });
});
