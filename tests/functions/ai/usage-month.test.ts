import { initializeTestEnvironment, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { UsageDoc, UsageShard } from "@hearth/schema";
import { type DocumentData, doc, onSnapshot } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiGenerate } from "../../../functions/src/ai/ai-generate.js";
import { closeUsagePeriodWith } from "../../../functions/src/jobs/close-usage-period.js";
import { systemClock } from "../../../functions/src/lib/clock.js";
import { periodOf, SHARD_COUNT } from "../../../functions/src/usage/caps.js";
import { closeReservation, reserve } from "../../../functions/src/usage/meter.js";
import { FIRESTORE_RULES } from "../../rules/support/env.js";
import { type AiTestEnv, callAs, newId, seedOrg, startAiTestEnv, usageOf } from "./support.js";

/**
 * `orgs/{orgId}/usage/{yyyy-mm}` is live: created by the month's first reservation, counted by every
 * settle exactly once, and rewritten from the shards (to the same values) when the month closes.
 */
let env: AiTestEnv;
let rules: RulesTestEnvironment;
let generate: (request: never) => Promise<unknown>;

beforeAll(async () => {
  env = await startAiTestEnv();
  generate = env.fft.wrap(aiGenerate) as never;
  const [host, port] = process.env.FIRESTORE_EMULATOR_HOST!.split(":") as [string, string];
  rules = await initializeTestEnvironment({
    projectId: env.projectId,
    firestore: { host, port: Number(port), rules: FIRESTORE_RULES },
  });
});
afterAll(async () => {
  await rules?.cleanup();
  await env?.stop();
});

const meter = () => ({ db: env.db, clock: systemClock, random: Math.random });
const hard = { calls: 100, costMicros: 1_000_000 };
const charge = { inputTokens: 10, outputTokens: 20, costMicros: 30 };

async function month(orgId: string, period: string) {
  return (await env.db.doc(`orgs/${orgId}/usage/${period}`).get()).data();
}

/** What the shards hold, in the month document's field names. */
async function shardTotals(orgId: string, period: string) {
  const u = await usageOf(env.db, orgId, period);
  return {
    aiCalls: u.calls,
    aiInputTokens: u.inputTokens,
    aiOutputTokens: u.outputTokens,
    aiCostMicros: u.costMicros,
  };
}

describe("the usage month document", () => {
  it("a member's web-SDK listener sees the month's first call counted, from that call on", async () => {
    const orgId = await seedOrg(env.db, { members: { owner: "owner", ann: "member" } });
    const period = periodOf(new Date());
    const seen: (DocumentData | undefined)[] = [];
    const firstCall = new Promise<DocumentData>((resolve, reject) => {
      const stop = onSnapshot(
        doc(rules.authenticatedContext("ann").firestore(), `orgs/${orgId}/usage/${period}`),
        (snap) => {
          seen.push(snap.data());
          if (snap.get("aiCalls") === 1) {
            stop();
            resolve(snap.data()!);
          }
        },
        reject,
      );
    });
    const out = (await generate(callAs("ann", { orgId, prompt: "First of the month" }))) as {
      usage: { inputTokens: number; outputTokens: number; costMicros: number };
    };
    const counted = await firstCall;
    expect(counted).toEqual({
      aiCalls: 1,
      aiInputTokens: out.usage.inputTokens,
      aiOutputTokens: out.usage.outputTokens,
      aiCostMicros: out.usage.costMicros,
    });
    expect(UsageDoc.strict().parse(counted)).toEqual(counted);
    // Missing before the call, then at most the zeros its reservation created, then the settled call.
    expect(seen[0]).toBeUndefined();
    for (const data of seen.slice(1, -1)) {
      expect(data).toEqual({ aiCalls: 0, aiInputTokens: 0, aiOutputTokens: 0, aiCostMicros: 0 });
    }
  });

  it("exists with zeros once the first reservation is made, and every shard holds every field", async () => {
    const orgId = newId("org");
    await reserve(meter(), {
      orgId,
      period: "2026-07",
      uid: "ann",
      hard,
      amount: { calls: 1, costMicros: 50 },
    });
    expect(await month(orgId, "2026-07")).toEqual({
      aiCalls: 0,
      aiInputTokens: 0,
      aiOutputTokens: 0,
      aiCostMicros: 0,
    });
    // Frontends sum the shards through UsageShard, which requires every counter.
    const shards = await env.db.collection(`orgs/${orgId}/usage/2026-07/shards`).get();
    expect(shards.size).toBe(SHARD_COUNT);
    for (const shard of shards.docs) expect(UsageShard.safeParse(shard.data()).error).toBeUndefined();
  });

  it("counts each settled call once: a duplicate settle and a released reservation add nothing", async () => {
    const orgId = newId("org");
    const call = { orgId, period: "2026-07", uid: "ann", hard, amount: { calls: 1, costMicros: 50 } };
    const [a, b] = [await reserve(meter(), call), await reserve(meter(), call)];
    const settled = await Promise.all([
      closeReservation(meter(), a, charge),
      closeReservation(meter(), a, charge),
    ]);
    expect(settled.sort()).toEqual([false, true]);
    expect(await closeReservation(meter(), b)).toBe(true);
    expect(await closeReservation(meter(), b, charge)).toBe(false);
    expect(await month(orgId, "2026-07")).toEqual({
      aiCalls: 1,
      aiInputTokens: 10,
      aiOutputTokens: 20,
      aiCostMicros: 30,
    });
  });

  it("concurrent calls: the month's totals equal the shards' sums", async () => {
    const orgId = newId("org");
    const call = { orgId, period: "2026-07", uid: "ann", hard, amount: { calls: 1, costMicros: 50 } };
    await Promise.all(
      Array.from({ length: 12 }, async () => closeReservation(meter(), await reserve(meter(), call), charge)),
    );
    expect(await month(orgId, "2026-07")).toEqual(await shardTotals(orgId, "2026-07"));
    expect((await month(orgId, "2026-07"))?.aiCalls).toBe(12);
  });

  it("closing the month keeps the live totals, fills in a month that began before them, and validates", async () => {
    const close = closeUsagePeriodWith(() => {
      throw new Error("no overage to report on the free plan");
    });
    const live = await seedOrg(env.db);
    const call = { orgId: live, period: "2026-07", uid: "owner", hard, amount: { calls: 1, costMicros: 50 } };
    for (let i = 0; i < 3; i++) await closeReservation(meter(), await reserve(meter(), call), charge);
    // A month already under way when live totals were deployed: its earlier calls are only in the shards.
    const older = await seedOrg(env.db);
    await env.db.doc(`orgs/${older}/usage/2026-07/shards/3`).set({ calls: 4, costMicros: 400 });
    await env.db.doc(`orgs/${older}/usage/2026-07`).set({ aiCalls: 1, aiCostMicros: 100 });

    const result = await close({ db: env.db, clock: { now: () => new Date("2026-08-01T02:00:00Z") } });
    expect(result.overageFailed).toBe(0);
    for (const orgId of [live, older]) {
      const data = await month(orgId, "2026-07");
      expect(data).toMatchObject(await shardTotals(orgId, "2026-07"));
      expect(data?.closedAt).toBeDefined();
      expect(UsageDoc.strict().safeParse(data).error).toBeUndefined();
    }
    expect(await month(live, "2026-07")).toMatchObject({ aiCalls: 3, aiCostMicros: 90 });
    expect(await month(older, "2026-07")).toMatchObject({ aiCalls: 4, aiCostMicros: 400 });
  });
});
