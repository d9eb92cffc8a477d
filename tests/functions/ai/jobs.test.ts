import { FieldValue } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiGenerateDeps, handleAiGenerate } from "../../../functions/src/ai/ai-generate.js";
import { readCache, writeCache } from "../../../functions/src/ai/cache.js";
import { createStripeClient } from "../../../functions/src/billing/stripe-client.js";
import { closeUsagePeriodWith } from "../../../functions/src/jobs/close-usage-period.js";
import { pruneAiCache } from "../../../functions/src/jobs/prune-ai-cache.js";
import { settleReservations } from "../../../functions/src/jobs/settle-reservations.js";
import type { Clock } from "../../../functions/src/lib/clock.js";
import { runJob } from "../../../functions/src/lib/job-run.js";
import { closeReservation, RESERVATION_STALE_MS, reserve } from "../../../functions/src/usage/meter.js";
import { stripeOverageLedger } from "../../../functions/src/usage/overage.js";
import {
  type FakeStripe,
  METER_IDENTIFIER_WINDOW_SECONDS,
  startFakeStripe,
} from "../../fakes/stripe/index.js";
import { type AiTestEnv, newId, seedOrg, startAiTestEnv, usageOf } from "./support.js";

/** The seeded org's owner, signed in, as the callable wrapper hands it to the handler. */
const OWNER = { uid: "owner", email: "owner@example.com", emailVerified: true };

let env: AiTestEnv;
beforeAll(async () => {
  env = await startAiTestEnv();
});
afterAll(() => env?.stop());

const at = (iso: string): Clock => ({ now: () => new Date(iso) });

describe("settleReservations", () => {
  it("releases a reservation left open by a crashed call once it is stale, exactly once", async () => {
    const orgId = await seedOrg(env.db);
    const start = new Date("2026-05-10T12:00:00Z");
    const deps = { db: env.db, clock: at(start.toISOString()), random: () => 0.5 };
    const hard = { calls: 10, costMicros: 1_000_000 };
    const r = await reserve(deps, {
      orgId,
      period: "2026-05",
      uid: "owner",
      hard,
      amount: { calls: 1, costMicros: 700 },
    });
    expect(await usageOf(env.db, orgId, "2026-05")).toMatchObject({
      reservedCalls: 1,
      reservedCostMicros: 700,
      openReservations: 1,
    });

    const early = await settleReservations({
      db: env.db,
      clock: at(new Date(start.getTime() + RESERVATION_STALE_MS - 1).toISOString()),
    });
    expect(early).toEqual({ released: 0, invalid: 0 });

    const late = at(new Date(start.getTime() + RESERVATION_STALE_MS).toISOString());
    const run = await runJob("settleReservations", settleReservations, { db: env.db, clock: late });
    expect(run.result).toEqual({ released: 1, invalid: 0 });
    expect((await env.db.doc(`jobRuns/${run.runId}`).get()).get("status")).toBe("succeeded");
    expect(await usageOf(env.db, orgId, "2026-05")).toMatchObject({
      calls: 0,
      reservedCalls: 0,
      reservedCostMicros: 0,
      openReservations: 0,
    });
    expect(await settleReservations({ db: env.db, clock: late })).toEqual({ released: 0, invalid: 0 });

    // The call's answer arriving after the release is not charged on top.
    const charged = await closeReservation({ db: env.db }, r, {
      inputTokens: 5,
      outputTokens: 5,
      costMicros: 15,
    });
    expect(charged).toBe(false);
    expect(await usageOf(env.db, orgId, "2026-05")).toMatchObject({
      calls: 0,
      costMicros: 0,
      reservedCalls: 0,
    });
  });
});

describe("settleReservations racing a slow call", () => {
  it("a reservation released while the provider is still answering is never counted twice", async () => {
    const orgId = await seedOrg(env.db);
    const start = new Date("2026-05-11T12:00:00Z");
    env.fake.control.setLatency(1_000);
    try {
      const pending = handleAiGenerate(aiGenerateDeps(at(start.toISOString())), OWNER, {
        orgId,
        prompt: "slow answer",
      });
      // Wait until the call has reserved and is waiting on the provider, then let the job find it stale.
      while (env.fake.control.requests().length === 0) await new Promise((r) => setTimeout(r, 10));
      const late = at(new Date(start.getTime() + RESERVATION_STALE_MS).toISOString());
      expect(await settleReservations({ db: env.db, clock: late })).toEqual({ released: 1, invalid: 0 });
      const out = await pending;
      expect(out.cached).toBe(false);
    } finally {
      env.fake.control.reset();
    }
    expect(await usageOf(env.db, orgId, "2026-05")).toMatchObject({
      calls: 0,
      costMicros: 0,
      reservedCalls: 0,
      reservedCostMicros: 0,
      openReservations: 0,
    });
  });
});

describe("pruneAiCache", () => {
  it("deletes expired entries only; expired entries are never served even before the prune", async () => {
    const orgId = newId("org");
    const written = new Date("2026-05-01T00:00:00Z");
    const answer = { text: "t", usage: { inputTokens: 1, outputTokens: 1, costMicros: 3 } };
    const oldKey = newId("old");
    const freshKey = newId("fresh");
    await writeCache(env.db, { key: oldKey, orgId, model: "gpt-4o-mini", answer }, written, 60);
    await writeCache(env.db, { key: freshKey, orgId, model: "gpt-4o-mini", answer }, written, 3_600);
    const later = new Date(written.getTime() + 60_000);
    expect(await readCache(env.db, oldKey, later)).toBeUndefined();
    expect(await readCache(env.db, freshKey, later)).toEqual(answer);

    const result = await pruneAiCache({ db: env.db, clock: at(later.toISOString()) });
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect((await env.db.doc(`aiCache/${oldKey}`).get()).exists).toBe(false);
    expect((await env.db.doc(`aiCache/${freshKey}`).get()).exists).toBe(true);
    expect(await pruneAiCache({ db: env.db, clock: at(later.toISOString()) })).toEqual({ deleted: 0 });
  });
});

describe("closeUsagePeriod (metered overage through the Stripe SDK to the fake Stripe)", () => {
  const clock = at("2026-03-01T02:00:00Z");
  let stripeFake: FakeStripe;
  let job: ReturnType<typeof closeUsagePeriodWith>;

  beforeAll(async () => {
    stripeFake = await startFakeStripe();
    const client = createStripeClient("sk_test_hearth", stripeFake.url);
    job = closeUsagePeriodWith(() => stripeOverageLedger(client, "hearth_ai_overage"));
  });
  afterAll(() => stripeFake?.stop());

  async function orgWithFebruary(plan: "free" | "pro", costMicros: number): Promise<string> {
    const orgId = await seedOrg(env.db, {
      entitlements: { aiCostMicrosPerMonth: { soft: 1_000_000, hard: 5_000_000 } },
    });
    await env.db.doc(`orgs/${orgId}`).update({ plan });
    await env.db.doc(`orgs/${orgId}/private/billing`).set({
      stripeCustomerId: `cus_${orgId}`,
      subscriptionId: `sub_${orgId}`,
      priceId: "price_pro",
      status: "active",
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      seats: 1,
      lastEventAt: null,
    });
    const shards = env.db.collection(`orgs/${orgId}/usage/2026-02/shards`);
    await shards
      .doc("0")
      .set({ calls: 3, inputTokens: 30, outputTokens: 60, costMicros: costMicros - 1_000 });
    await shards.doc("7").set({ calls: 2, inputTokens: 20, outputTokens: 40, costMicros: 1_000 });
    return orgId;
  }

  const meterEventsFor = (orgId: string) =>
    stripeFake.control.meterEvents().filter((e) => e.payload.stripe_customer_id === `cus_${orgId}`);

  it("writes last month's totals and reports a usage-billed plan's overage once, in whole cents", async () => {
    const pro = await orgWithFebruary("pro", 1_250_001);
    const free = await orgWithFebruary("free", 3_000_000);
    const result = await job({ db: env.db, clock });
    expect(result.overageFailed).toBe(0);
    expect(result.overageReported).toBeGreaterThanOrEqual(1);

    const summary = (await env.db.doc(`orgs/${pro}/usage/2026-02`).get()).data();
    expect(summary).toMatchObject({
      aiCalls: 5,
      aiInputTokens: 50,
      aiOutputTokens: 100,
      aiCostMicros: 1_250_001,
      overageCents: 26,
    });
    expect(meterEventsFor(pro)).toEqual([
      {
        event_name: "hearth_ai_overage",
        identifier: `ai-overage-${pro}-2026-02`,
        // Inside the billed month (its last second), not the close date.
        timestamp: Date.UTC(2026, 1, 28, 23, 59, 59) / 1000,
        payload: { stripe_customer_id: `cus_${pro}`, value: "26" },
        created: expect.any(Number),
      },
    ]);
    expect((await env.db.doc(`orgs/${free}/usage/2026-02`).get()).get("aiCostMicros")).toBe(3_000_000);
    expect(meterEventsFor(free)).toEqual([]);

    await job({ db: env.db, clock });
    expect(meterEventsFor(pro)).toHaveLength(1);
  });

  it("a report Stripe already has (crash before Hearth recorded it) is recorded, not sent twice", async () => {
    const pro = await orgWithFebruary("pro", 1_500_000);
    await job({ db: env.db, clock });
    await env.db.doc(`orgs/${pro}/usage/2026-02`).update({ overageReportedAt: FieldValue.delete() });
    const rerun = await job({ db: env.db, clock });
    expect(rerun.overageFailed).toBe(0);
    expect(meterEventsFor(pro)).toHaveLength(1);
    expect((await env.db.doc(`orgs/${pro}/usage/2026-02`).get()).get("overageReportedAt")).toBeDefined();
  });

  it("a report whose marker was lost is not sent again after Stripe's 24-hour identifier window", async () => {
    const pro = await orgWithFebruary("pro", 1_750_000);
    await job({ db: env.db, clock });
    expect(meterEventsFor(pro)).toHaveLength(1);
    // The report reached Stripe, but the run died before Hearth saved its marker.
    await env.db.doc(`orgs/${pro}/usage/2026-02`).update({ overageReportedAt: FieldValue.delete() });
    // The next scheduled run is a day later: Stripe no longer refuses the identifier as a duplicate.
    stripeFake.control.advanceClock(METER_IDENTIFIER_WINDOW_SECONDS + 3600);
    const rerun = await job({ db: env.db, clock: at("2026-03-02T02:00:00Z") });
    expect(rerun).toMatchObject({ overageFailed: 0 });
    expect(meterEventsFor(pro).map((e) => e.payload.value)).toEqual(["75"]);
    expect((await env.db.doc(`orgs/${pro}/usage/2026-02`).get()).data()).toMatchObject({
      overageCents: 75,
      overageConfirmedBy: "stripe-summary",
    });
  });

  it("a month whose total grew after a report lost its marker is topped up, not sent twice", async () => {
    const pro = await orgWithFebruary("pro", 1_400_000);
    await job({ db: env.db, clock });
    await env.db.doc(`orgs/${pro}/usage/2026-02`).update({ overageReportedAt: FieldValue.delete() });
    // A call still in flight at midnight settled afterwards: February cost 20 cents more.
    await env.db.doc(`orgs/${pro}/usage/2026-02/shards/3`).set({ calls: 1, costMicros: 200_000 });
    stripeFake.control.advanceClock(METER_IDENTIFIER_WINDOW_SECONDS + 3600);
    await job({ db: env.db, clock: at("2026-03-02T02:00:00Z") });
    expect(meterEventsFor(pro).map((e) => [e.identifier, e.payload.value])).toEqual([
      [`ai-overage-${pro}-2026-02`, "40"],
      [`ai-overage-${pro}-2026-02-to-60`, "20"],
    ]);
  });

  it("a resend Stripe drops as a duplicate before its summary shows it is left for a later run to confirm", async () => {
    const pro = await orgWithFebruary("pro", 1_300_000);
    const client = createStripeClient("sk_test_hearth", stripeFake.url);
    const real = stripeOverageLedger(client, "hearth_ai_overage");
    // Stripe's summaries lag: the first minutes after a report they do not show it yet.
    const lagging = closeUsagePeriodWith(() => ({ ...real, recorded: async () => 0 }));
    await job({ db: env.db, clock });
    await env.db.doc(`orgs/${pro}/usage/2026-02`).update({ overageReportedAt: FieldValue.delete() });
    const rerun = await lagging({ db: env.db, clock });
    expect(rerun.overageUnconfirmed).toBeGreaterThanOrEqual(1);
    expect((await env.db.doc(`orgs/${pro}/usage/2026-02`).get()).get("overageReportedAt")).toBeUndefined();
    await job({ db: env.db, clock });
    expect((await env.db.doc(`orgs/${pro}/usage/2026-02`).get()).get("overageConfirmedBy")).toBe(
      "stripe-summary",
    );
    expect(meterEventsFor(pro).map((e) => e.payload.value)).toEqual(["30"]);
  });

  it("no meter for the event name: the report fails without sending, and is retried", async () => {
    const pro = await orgWithFebruary("pro", 1_100_000);
    const client = createStripeClient("sk_test_hearth", stripeFake.url);
    const misnamed = closeUsagePeriodWith(() => stripeOverageLedger(client, "no_such_meter"));
    const run = await misnamed({ db: env.db, clock });
    expect(run.overageFailed).toBeGreaterThanOrEqual(1);
    expect(meterEventsFor(pro)).toEqual([]);
    await job({ db: env.db, clock });
    expect(meterEventsFor(pro).map((e) => e.payload.value)).toEqual(["10"]);
  });

  it("a failed report is counted and retried by the next run", async () => {
    const pro = await orgWithFebruary("pro", 2_000_000);
    stripeFake.control.failNext({ pathPrefix: "/v1/billing/meter_events", status: 400, count: 1 });
    const first = await job({ db: env.db, clock });
    expect(first.overageFailed).toBe(1);
    expect((await env.db.doc(`orgs/${pro}/usage/2026-02`).get()).get("overageReportedAt")).toBeUndefined();
    await job({ db: env.db, clock });
    expect(meterEventsFor(pro).map((e) => e.payload.value)).toEqual(["100"]);
  });

  it("an org with no usage that month gets no summary", async () => {
    const idle = await seedOrg(env.db);
    await job({ db: env.db, clock });
    expect((await env.db.doc(`orgs/${idle}/usage/2026-02`).get()).exists).toBe(false);
  });
});
