import { OrgDoc, PrivateBillingDoc, StripeEventDoc } from "@hearth/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyStripeEvent, onStripeEventCreated } from "../../../functions/src/billing/apply-event.js";
import {
  cancelDeletedOrgSubscription,
  onOrgDeletedCancelSubscription,
} from "../../../functions/src/billing/cancel-deleted-org.js";
import { PLANS } from "../../../functions/src/billing/plans.js";
import { reconcileBilling } from "../../../functions/src/jobs/reconcile-billing.js";
import { deliverEvent, type Json } from "../../fakes/stripe/index.js";
import { writtenAround } from "../../support/snapshots.js";
import {
  type BillingTestEnv,
  billingRecord,
  deliverAndApply,
  GRACE_DAYS,
  orgBilling,
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

async function subscribedOrg(planId: "pro" | "team" = "pro") {
  const orgId = await seedOrg(env.db);
  const { subscriptionId, events } = await subscribe(env, orgId, planId);
  await deliverAndApply(env, events);
  return { orgId, subscriptionId };
}

async function auditActions(orgId: string): Promise<string[]> {
  const log = await env.db.collection(`orgs/${orgId}/auditLog`).get();
  return log.docs.map((d) => d.get("action") as string);
}

describe("event processing: subscription lifecycle", () => {
  it("checkout completed: the org gets the plan, trialing, with the plan's entitlements", async () => {
    const orgId = await seedOrg(env.db);
    const { subscriptionId, events } = await subscribe(env, orgId, "pro");
    const outcomes = await deliverAndApply(env, events);
    expect(outcomes).toEqual(["applied", "applied", "applied"]);
    const org = (await env.db.doc(`orgs/${orgId}`).get()).data();
    expect(org).toMatchObject({
      plan: "pro",
      billingStatus: "trialing",
      entitlements: PLANS.pro.entitlements,
    });
    expect(await billingRecord(env.db, orgId)).toMatchObject({
      subscriptionId,
      status: "trialing",
      priceId: "price_test_pro",
      cancelAtPeriodEnd: false,
      seats: 1,
    });
    expect(await auditActions(orgId)).toContain("billing.changed");
    const event = await env.db.doc(`stripeEvents/${events[0]?.id}`).get();
    expect(event.data()).toMatchObject({ status: "processed", outcome: "applied", attempts: 1 });

    // The documents written match the data model's shapes.
    expect(OrgDoc.safeParse(org).error?.issues).toBeUndefined();
    expect(PrivateBillingDoc.safeParse(await billingRecord(env.db, orgId)).error?.issues).toBeUndefined();
    expect(StripeEventDoc.safeParse(event.data()).error?.issues).toBeUndefined();
  });

  it("trial converts to active at the end of the period; trial_will_end is audited", async () => {
    const { orgId, subscriptionId } = await subscribedOrg();
    await deliverAndApply(env, env.fake.control.trialWillEnd(subscriptionId));
    expect(await auditActions(orgId)).toContain("billing.trial_will_end");
    await deliverAndApply(env, env.fake.control.endPeriod(subscriptionId));
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "pro", billingStatus: "active" });
  });

  it("payment failure: past_due keeps the plan through the grace period, then the reconcile job downgrades", async () => {
    const { orgId, subscriptionId } = await subscribedOrg("team");
    await deliverAndApply(env, env.fake.control.endPeriod(subscriptionId));
    await deliverAndApply(env, env.fake.control.failPayment(subscriptionId));
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "team", billingStatus: "past_due" });
    expect(await auditActions(orgId)).toContain("billing.payment_failed");

    env.clock.advanceDays(GRACE_DAYS - 1);
    await reconcileBilling(env.deps);
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "team", billingStatus: "past_due" });

    env.clock.advanceDays(2);
    await reconcileBilling(env.deps);
    expect(await orgBilling(env.db, orgId)).toMatchObject({
      plan: "free",
      billingStatus: "past_due",
      seats: PLANS.free.entitlements.seats,
    });

    await deliverAndApply(env, env.fake.control.recoverPayment(subscriptionId));
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "team", billingStatus: "active" });
    expect((await billingRecord(env.db, orgId)).pastDueSince).toBeNull();
  });

  it("payment action required: audited, past_due", async () => {
    const { orgId, subscriptionId } = await subscribedOrg();
    await deliverAndApply(env, env.fake.control.requireAction(subscriptionId));
    expect(await auditActions(orgId)).toContain("billing.payment_action_required");
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "pro", billingStatus: "past_due" });
  });

  it("unpaid after retries: free plan at once", async () => {
    const { orgId, subscriptionId } = await subscribedOrg();
    await deliverAndApply(env, [
      ...env.fake.control.failPayment(subscriptionId),
      ...env.fake.control.markUnpaid(subscriptionId),
    ]);
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "free", billingStatus: "unpaid" });
  });

  it("cancel at period end: the plan stays until the period ends, then the org is free", async () => {
    const { orgId, subscriptionId } = await subscribedOrg();
    await deliverAndApply(env, env.fake.control.cancelAtPeriodEnd(subscriptionId));
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "pro", billingStatus: "trialing" });
    expect(await billingRecord(env.db, orgId)).toMatchObject({ cancelAtPeriodEnd: true });

    await deliverAndApply(env, env.fake.control.endPeriod(subscriptionId));
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "free", billingStatus: "canceled" });
  });

  it("paused and resumed", async () => {
    const { orgId, subscriptionId } = await subscribedOrg();
    await deliverAndApply(env, env.fake.control.pause(subscriptionId));
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "free", billingStatus: "paused" });
    await deliverAndApply(env, env.fake.control.resume(subscriptionId));
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "pro", billingStatus: "active" });
  });

  it("resubscribing after a cancellation follows the new subscription; late news of the old one is ignored", async () => {
    const { orgId, subscriptionId: old } = await subscribedOrg();
    const cancelEvents = env.fake.control.cancelNow(old);
    await deliverAndApply(env, cancelEvents);
    const { subscriptionId: renewed, events } = await subscribe(env, orgId, "team");
    await deliverAndApply(env, events);
    // A redelivery of an old event under a new id (as after an endpoint change) must not undo the new plan.
    const late = { ...(cancelEvents[0] as Json), id: "evt_late_redelivery_of_old_cancel" };
    expect(await deliverAndApply(env, [late])).toEqual(["not-followed"]);
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "team", billingStatus: "active" });
    expect((await billingRecord(env.db, orgId)).subscriptionId).toBe(renewed);
  });
});

describe("deleted orgs stop renewing", () => {
  it("the trigger sets the subscription to cancel at period end, once", async () => {
    const { orgId, subscriptionId } = await subscribedOrg();
    const wrapped = env.fft.wrap(onOrgDeletedCancelSubscription);
    const deletion = await writtenAround(env.db.doc(`orgs/${orgId}`), (ref) =>
      ref.update({ deletedAt: new Date() }),
    );
    await wrapped({ data: env.fft.makeChange(deletion.before, deletion.after), params: { orgId } } as never);
    expect((await env.stripe.subscriptions.retrieve(subscriptionId)).cancel_at_period_end).toBe(true);
    expect(await cancelDeletedOrgSubscription(orgId, env.deps)).toBe("already-canceling");
    // A rename of a live org does nothing.
    const other = await subscribedOrg();
    const rename = await writtenAround(env.db.doc(`orgs/${other.orgId}`), (ref) => ref.update({ name: "B" }));
    await wrapped({
      data: env.fft.makeChange(rename.before, rename.after),
      params: { orgId: other.orgId },
    } as never);
    expect((await env.stripe.subscriptions.retrieve(other.subscriptionId)).cancel_at_period_end).toBe(false);
  });

  it("the reconcile job catches a deleted org whose trigger never ran", async () => {
    const { orgId, subscriptionId } = await subscribedOrg();
    await env.db.doc(`orgs/${orgId}`).update({ deletedAt: new Date() });
    const result = await reconcileBilling(env.deps);
    expect(result.deletedOrgsCanceled).toBeGreaterThanOrEqual(1);
    expect((await env.stripe.subscriptions.retrieve(subscriptionId)).cancel_at_period_end).toBe(true);
    await deliverAndApply(env, env.fake.control.endPeriod(subscriptionId));
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "free", billingStatus: "canceled" });
  });
});

describe("event processing: plan changes and stale reads", () => {
  it("a plan switch in the portal (new price on the item) moves the org to that plan", async () => {
    const { orgId, subscriptionId } = await subscribedOrg("pro");
    const sub = await env.stripe.subscriptions.retrieve(subscriptionId);
    const mark = env.fake.control.events().length;
    await env.stripe.subscriptions.update(subscriptionId, {
      items: [{ id: sub.items.data[0]?.id as string, price: "price_test_team" }],
    });
    await deliverAndApply(env, env.fake.control.events().slice(mark));
    expect((await env.db.doc(`orgs/${orgId}`).get()).data()).toMatchObject({
      plan: "team",
      entitlements: PLANS.team.entitlements,
    });
  });

  it("a read older than the stored one is dropped (the event is still marked processed)", async () => {
    const { orgId, subscriptionId } = await subscribedOrg("pro");
    const future = new Date(env.clock.now().getTime() + 60_000);
    await env.db.doc(`orgs/${orgId}/private/billing`).update({ syncedAt: future });
    const events = env.fake.control.cancelNow(subscriptionId);
    expect(await deliverAndApply(env, events)).toEqual(["stale"]);
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "pro", billingStatus: "trialing" });
    expect((await env.db.doc(`stripeEvents/${events[0]?.id}`).get()).get("status")).toBe("processed");
  });
});

describe("event processing: idempotence and failures", () => {
  it("a processed event applied again is a no-op (no second audit entry)", async () => {
    const { orgId, subscriptionId } = await subscribedOrg();
    const events = env.fake.control.failPayment(subscriptionId);
    await deliverAndApply(env, events);
    const audits = (await auditActions(orgId)).length;
    for (const event of events)
      expect(await applyStripeEvent(event.id as string, env.deps)).toBe("duplicate");
    expect((await auditActions(orgId)).length).toBe(audits);
  });

  it("the trigger running twice at once for one event (at-least-once delivery) applies it once", async () => {
    const { orgId, subscriptionId } = await subscribedOrg();
    const [failed] = env.fake.control.failPayment(subscriptionId);
    await deliverEvent(env.webhookUrl, failed as Json, { secret: WEBHOOK_SECRET });
    const outcomes = await Promise.all([1, 2, 3].map(() => applyStripeEvent(failed?.id as string, env.deps)));
    expect(outcomes.filter((o) => o === "applied")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(2);
    expect((await auditActions(orgId)).filter((a) => a === "billing.payment_failed")).toHaveLength(1);
  });

  it("events about nothing Hearth bills are recorded and ignored", async () => {
    const event = {
      id: "evt_customer_created_1",
      object: "event",
      type: "customer.created",
      created: 1,
      data: { object: { id: "cus_1", object: "customer" } },
    };
    expect((await deliverEvent(env.webhookUrl, event, { secret: WEBHOOK_SECRET })).status).toBe(200);
    expect(await applyStripeEvent(event.id, env.deps)).toBe("ignored");
    expect((await env.db.doc(`stripeEvents/${event.id}`).get()).data()).toMatchObject({
      status: "processed",
      outcome: "ignored",
    });
  });

  it("a subscription without a Hearth org is ignored without error", async () => {
    const customer = await env.stripe.customers.create({});
    const session = await env.stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: "price_test_pro", quantity: 1 }],
      success_url: "http://app.test/ok",
    });
    const { events } = env.fake.control.completeCheckout(session.id);
    expect(await deliverAndApply(env, events)).toEqual(["no-org", "no-org", "no-org"]);
  });

  it("Stripe unavailable: the event is marked failed and the trigger's handler throws (platform retry); the reconcile job finishes it", async () => {
    const orgId = await seedOrg(env.db);
    const { events } = await subscribe(env, orgId, "pro");
    const first = events[0] as Json;
    await deliverEvent(env.webhookUrl, first, { secret: WEBHOOK_SECRET });
    env.fake.control.failNext({ pathPrefix: "/v1/subscriptions", status: 503, count: 1 });
    await expect(applyStripeEvent(first.id as string, env.deps)).rejects.toMatchObject({ statusCode: 503 });
    const failed = (await env.db.doc(`stripeEvents/${first.id}`).get()).data();
    expect(failed).toMatchObject({ status: "failed", attempts: 1, error: "api_error" });
    expect(JSON.stringify(failed?.error)).not.toMatch(/sub_|cus_/);
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "free" });

    const result = await reconcileBilling(env.deps);
    expect(result.eventsRetried).toBeGreaterThanOrEqual(1);
    expect((await env.db.doc(`stripeEvents/${first.id}`).get()).data()).toMatchObject({
      status: "processed",
      attempts: 2,
    });
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "pro", billingStatus: "trialing" });
  });

  it("the deployed trigger processes a recorded event with the real params and client", async () => {
    const orgId = await seedOrg(env.db);
    const { events } = await subscribe(env, orgId, "team");
    const event = events[0] as Json;
    // The create event's snapshot: the event document as the webhook recorded it.
    const { after: recorded } = await writtenAround(env.db.doc(`stripeEvents/${event.id}`), () =>
      deliverEvent(env.webhookUrl, event, { secret: WEBHOOK_SECRET }),
    );
    expect(recorded.exists).toBe(true);
    const wrapped = env.fft.wrap(onStripeEventCreated);
    await wrapped({ data: recorded, params: { eventId: event.id as string } } as never);
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "team", billingStatus: "trialing" });
  });
});
