import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyStripeEvent } from "../../../functions/src/billing/apply-event.js";
import { PLANS } from "../../../functions/src/billing/plans.js";
import { deliverEvent, INCOMPLETE_EXPIRY_SECONDS, type Json } from "../../fakes/stripe/index.js";
import { prng } from "../../support/prng.js";
import {
  type BillingTestEnv,
  billingRecord,
  deliverAndApply,
  seedCancelledSubscription,
  seedOrg,
  startBillingTestEnv,
  subscribe,
  WEBHOOK_SECRET,
} from "./support.js";

let env: BillingTestEnv;

beforeAll(async () => {
  env = await startBillingTestEnv();
});
afterAll(() => env?.stop());

type Step = (subscriptionId: string) => Json[] | Promise<Json[]>;

/** What may happen next to a subscription in each state, as Stripe and the customer would drive it. */
function nextSteps(status: string, planId: "pro" | "team"): Step[] {
  const c = env.fake.control;
  const changeSeats: Step = async (id) => {
    const sub = await env.stripe.subscriptions.retrieve(id);
    const item = sub.items.data[0];
    const mark = c.events().length;
    await env.stripe.subscriptions.update(id, {
      items: [{ id: item?.id as string, quantity: (item?.quantity ?? 1) + 1 }],
    });
    return c.events().slice(mark);
  };
  switch (status) {
    case "trialing":
    case "active":
      return [
        c.failPayment,
        c.requireAction,
        (id) => c.cancelAtPeriodEnd(id, true),
        (id) => c.cancelAtPeriodEnd(id, false),
        c.endPeriod,
        c.pause,
        c.trialWillEnd,
        ...(planId === "team" ? [changeSeats] : []),
      ];
    case "past_due":
      return [c.recoverPayment, c.markUnpaid, c.cancelNow];
    case "unpaid":
      return [c.recoverPayment, c.cancelNow];
    case "paused":
      return [c.resume, c.cancelNow];
    case "incomplete":
      return [
        c.confirmPayment,
        c.failPayment,
        // 23 hours pass unpaid (only this subscription's events: other tests' subscriptions expire too).
        (id) =>
          c
            .advanceClock(INCOMPLETE_EXPIRY_SECONDS)
            .filter((e) => (e.data as { object: Json }).object.id === id),
      ];
    default:
      return [];
  }
}

/** How the subscription starts: with a trial, or without one and a first payment that needs 3-D Secure or fails. */
type Start = "trial" | "requires_action" | "fails";

async function scenario(seed: number, start: Start) {
  const rand = prng(seed);
  const planId: "pro" | "team" = rand() < 0.5 ? "pro" : "team";
  const orgId = await seedOrg(env.db, { owner: "owner", a: "member" });
  // An org that had a subscription before gets no second trial.
  if (start !== "trial") {
    await seedCancelledSubscription(env, orgId, "sub_before");
  }
  const payment = start === "trial" ? "succeeds" : start;
  const { subscriptionId, events } = await subscribe(env, orgId, planId, "owner", payment);
  const all = [...events];
  for (let i = 0; i < 6; i++) {
    const status = env.fake.control.subscription(subscriptionId)?.status as string;
    const steps = nextSteps(status, planId);
    if (steps.length === 0) break;
    const step = steps[Math.floor(rand() * steps.length)] as Step;
    all.push(...(await step(subscriptionId)));
  }
  // Stripe retries, so some events arrive twice; and it never promises any order.
  const deliveries = [...all, ...all.filter(() => rand() < 0.3)];
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j] as Json, deliveries[i] as Json];
  }
  return { orgId, subscriptionId, planId, deliveries };
}

describe("order-proof processing", () => {
  it.each([
    [1, 1, "trial"],
    [2, 1, "trial"],
    [4, 1, "trial"],
    [5, 1, "trial"],
    [3, 2, "trial"],
    [6, 1, "requires_action"],
    [7, 1, "fails"],
    [8, 1, "requires_action"],
    [9, 1, "fails"],
  ] as const)(
    "seed %i, %i at a time, starting %s: shuffled and duplicated deliveries always leave the state Stripe holds last",
    async (seed, parallel, start) => {
      const { orgId, subscriptionId, planId, deliveries } = await scenario(seed, start);
      // Stripe holds its last state from here on; every applied event must leave the org in exactly it.
      const last = await env.stripe.subscriptions.retrieve(subscriptionId);
      // With 2 at a time, transactions on the same org race too (slower: contention backs off).
      for (let i = 0; i < deliveries.length; i += parallel) {
        const outcomes = await Promise.all(
          deliveries.slice(i, i + parallel).map(async (e) => {
            await deliverEvent(env.webhookUrl, e, { secret: WEBHOOK_SECRET });
            return applyStripeEvent(e.id as string, env.deps);
          }),
        );
        if (outcomes.includes("applied")) {
          expect((await env.db.doc(`orgs/${orgId}`).get()).get("billingStatus")).toBe(last.status);
        }
      }
      const paying = ["trialing", "active", "past_due"].includes(last.status);
      const expectedPlan = paying ? planId : "free";
      const org = (await env.db.doc(`orgs/${orgId}`).get()).data();
      expect(org).toMatchObject({
        billingStatus: last.status,
        plan: expectedPlan,
        entitlements: PLANS[expectedPlan].entitlements,
      });
      expect(await billingRecord(env.db, orgId)).toMatchObject({
        subscriptionId,
        status: last.status,
        seats: last.items.data[0]?.quantity,
        cancelAtPeriodEnd: last.cancel_at_period_end,
      });
    },
  );

  it("a late customer.subscription.updated (active) after .deleted leaves the org canceled", async () => {
    const orgId = await seedOrg(env.db);
    const { subscriptionId, events } = await subscribe(env, orgId, "pro");
    const updated = env.fake.control.endPeriod(subscriptionId);
    const deleted = env.fake.control.cancelNow(subscriptionId);
    await deliverAndApply(env, [...deleted, ...events, ...updated]);
    expect((await env.db.doc(`orgs/${orgId}`).get()).data()).toMatchObject({
      plan: "free",
      billingStatus: "canceled",
    });
  });
});
