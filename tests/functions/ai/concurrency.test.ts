import type { HttpsError } from "firebase-functions/https";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { aiGenerate } from "../../../functions/src/ai/ai-generate.js";
import { periodOf, SHARD_COUNT } from "../../../functions/src/usage/caps.js";
import { type AiTestEnv, callAs, seedOrg, startAiTestEnv, usageOf } from "./support.js";

let env: AiTestEnv;
let call: (request: never) => Promise<unknown>;

beforeAll(async () => {
  env = await startAiTestEnv();
  // These tests are about the caps, not timeouts: 50 calls at once on a loaded 2-core machine can take
  // longer than the default 2 s per provider attempt.
  process.env.AI_TIMEOUT_MS = "30000";
  call = env.fft.wrap(aiGenerate) as never;
});
afterAll(() => env?.stop());
beforeEach(() => env.fake.control.reset());

const period = () => periodOf(new Date());

// Many transactions race on purpose; the emulator aborts losers (optimistic locking) where production
// Firestore makes them wait, so these take seconds on a busy machine.
const SLOW = 90_000;

/** An org of `users` members whose month already holds `used` calls, on one shard as a busy month would. */
async function busyOrg(users: number, used: number, hard: number): Promise<string> {
  const members = Object.fromEntries(Array.from({ length: users }, (_, i) => [`u${i}`, "member" as const]));
  const orgId = await seedOrg(env.db, {
    members: { owner: "owner", ...members },
    entitlements: { aiCallsPerMonth: { soft: hard, hard } },
  });
  await env.db.doc(`orgs/${orgId}/usage/${period()}/shards/3`).set({ calls: used, costMicros: 0 });
  return orgId;
}

function fire(orgId: string, n: number) {
  return Promise.allSettled(
    Array.from({ length: n }, (_, i) => call(callAs(`u${i}`, { orgId, prompt: `parallel prompt ${i}` }))),
  );
}

function reasons(results: PromiseSettledResult<unknown>[]) {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key =
      r.status === "fulfilled"
        ? "ok"
        : `${(r.reason as HttpsError).code}:${((r.reason as HttpsError).details as { reason?: string })?.reason}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe("aiGenerate under concurrency", () => {
  it(
    "50 parallel calls near the hard cap: exactly the remaining 10 succeed, never past the cap",
    async () => {
      const orgId = await busyOrg(50, 90, 100);
      env.fake.control.setLatency(20);
      const results = await fire(orgId, 50);
      expect(reasons(results)).toEqual({ ok: 10, "resource-exhausted:hard-cap": 40 });
      const usage = await usageOf(env.db, orgId, period());
      expect(usage).toMatchObject({
        calls: 100,
        reservedCalls: 0,
        reservedCostMicros: 0,
        openReservations: 0,
      });
      expect(usage.allotCalls).toBe(100);
      expect(env.fake.control.requests()).toHaveLength(10);
    },
    SLOW,
  );

  it(
    "20 parallel calls with provider failures: successes are charged, every reservation is released",
    async () => {
      const orgId = await busyOrg(20, 80, 100);
      // The first 20 provider requests fail with 503; with three attempts per call some calls still succeed.
      env.fake.control.failNext({ status: 503, count: 20 });
      const results = await fire(orgId, 20);
      const counts = reasons(results);
      const ok = counts.ok ?? 0;
      expect(
        ok + (counts["unavailable:provider-unavailable"] ?? 0) + (counts["resource-exhausted:hard-cap"] ?? 0),
      ).toBe(20);
      expect(ok).toBeLessThanOrEqual(20);
      const usage = await usageOf(env.db, orgId, period());
      expect(usage).toMatchObject({
        calls: 80 + ok,
        reservedCalls: 0,
        reservedCostMicros: 0,
        openReservations: 0,
      });
    },
    SLOW,
  );

  it(
    "spreads a busy org's writes over the counter shards",
    async () => {
      const orgId = await busyOrg(16, 0, 1_000);
      await fire(orgId, 16);
      const shards = await env.db.collection(`orgs/${orgId}/usage/${period()}/shards`).get();
      expect(shards.size).toBe(SHARD_COUNT);
      const withCalls = shards.docs.filter((d) => (d.get("calls") ?? 0) > 0).length;
      expect(withCalls).toBeGreaterThan(SHARD_COUNT / 4);
    },
    SLOW,
  );
});
