import { AuditEntryDoc } from "@hearth/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyStripeEvent } from "../../../functions/src/billing/apply-event.js";
import { createCheckoutSessionHandler } from "../../../functions/src/billing/create-checkout-session.js";
import { DUPLICATE_CANCEL_COMMENT } from "../../../functions/src/billing/subscription.js";
import { syncSubscription } from "../../../functions/src/billing/sync-subscription.js";
import { reconcileBilling } from "../../../functions/src/jobs/reconcile-billing.js";
import { deliverEvent, FAKE_UNIT_AMOUNT, type Json } from "../../fakes/stripe/index.js";
import { prng } from "../../support/prng.js";
import {
  type BillingTestEnv,
  billingRecord,
  deliverAndApply,
  orgBilling,
  seedCancelledSubscription,
  seedOrg,
  startBillingTestEnv,
  WEBHOOK_SECRET,
} from "./support.js";

let env: BillingTestEnv;

beforeAll(async () => {
  env = await startBillingTestEnv();
});
afterAll(() => env?.stop());

const LIVE = ["trialing", "active", "past_due", "unpaid", "paused", "incomplete"];

/** An owner and an admin each open Checkout before either completes; both complete, a second apart. */
async function twoConcurrentCheckouts(orgId: string) {
  const open = (uid: string, planId: "pro" | "team") =>
    createCheckoutSessionHandler(
      env.deps,
      { uid, email: `${uid}@example.com`, emailVerified: true },
      { orgId, planId },
    );
  const [first, second] = await Promise.all([open("owner", "pro"), open("admin", "team")]);
  const a = env.fake.control.completeCheckout(first.sessionId);
  env.fake.control.advanceClock(1);
  const b = env.fake.control.completeCheckout(second.sessionId);
  const customer = a.subscription.customer as string;
  return { first: a, second: b, customer };
}

async function liveSubscriptions(customer: string) {
  const all = await env.stripe.subscriptions.list({ customer, status: "all" });
  return all.data.filter((s) => LIVE.includes(s.status));
}

async function auditActions(orgId: string): Promise<string[]> {
  const log = await env.db.collection(`orgs/${orgId}/auditLog`).get();
  return log.docs.map((d) => d.get("action") as string);
}

/** What the customer paid, less the credit Stripe holds for them (a negative balance). */
function netCharged(customer: string): number {
  const paid = env.fake.control
    .invoices()
    .filter((i) => i.customer === customer)
    .reduce((sum, i) => sum + Math.max(0, i.amount_paid as number), 0);
  return paid + ((env.fake.control.customer(customer)?.balance as number) ?? 0);
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rand = prng(seed);
  const out = [...items, ...items.filter(() => rand() < 0.4)];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// Emulator transactions and a cold first test are slow on a busy machine.
describe("one live subscription per org", { timeout: 60_000 }, () => {
  it("two Checkouts completed concurrently (trial): the second is cancelled at once and audited once", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner", admin: "admin" });
    const { first, second, customer } = await twoConcurrentCheckouts(orgId);
    expect(await liveSubscriptions(customer)).toHaveLength(2);

    await deliverAndApply(env, [...first.events, ...second.events]);

    const live = await liveSubscriptions(customer);
    expect(live.map((s) => s.id)).toEqual([first.subscription.id]);
    const duplicate = await env.stripe.subscriptions.retrieve(second.subscription.id as string);
    expect(duplicate.status).toBe("canceled");
    expect(duplicate.cancellation_details?.comment).toBe(DUPLICATE_CANCEL_COMMENT);
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "pro", billingStatus: "trialing" });
    expect((await billingRecord(env.db, orgId)).subscriptionId).toBe(first.subscription.id);
    expect((await auditActions(orgId)).filter((a) => a === "billing.duplicate_canceled")).toHaveLength(1);
    const entry = (
      await env.db
        .collection(`orgs/${orgId}/auditLog`)
        .where("action", "==", "billing.duplicate_canceled")
        .get()
    ).docs[0];
    expect(AuditEntryDoc.safeParse(entry?.data()).error?.issues).toBeUndefined();
    expect(entry?.data()).toMatchObject({
      actor: "system",
      before: { plan: "team" },
      after: { keptPlan: "pro" },
    });
    expect(JSON.stringify({ id: entry?.id, ...entry?.data() })).not.toMatch(/sub_|cus_|in_/);
    expect(netCharged(customer)).toBe(0);

    // Later news of either subscription, and the reconcile job, change nothing and cancel nothing more.
    const cancels = () => env.fake.control.requests().filter((r) => r.method === "DELETE").length;
    const before = cancels();
    const redelivered = [...first.events, ...second.events].map((e, i) => ({
      ...e,
      id: `${e.id}_again${i}`,
    }));
    await deliverAndApply(env, redelivered);
    await reconcileBilling(env.deps);
    expect(cancels()).toBe(before);
    expect((await auditActions(orgId)).filter((a) => a === "billing.duplicate_canceled")).toHaveLength(1);
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "pro", billingStatus: "trialing" });
  });

  it("without a trial both are charged; the duplicate's charge comes back as credit: billed once", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner", admin: "admin" });
    // An earlier, cancelled subscription: no second trial, so both new Checkouts charge at once.
    await seedCancelledSubscription(env, orgId, "sub_earlier");
    const { first, second, customer } = await twoConcurrentCheckouts(orgId);
    // Pro is flat (1 unit); Team is per seat (2 members).
    expect(netCharged(customer)).toBe(3 * FAKE_UNIT_AMOUNT);

    // The second checkout's events arrive first.
    await deliverAndApply(env, [...second.events, ...first.events]);

    expect((await liveSubscriptions(customer)).map((s) => s.id)).toEqual([first.subscription.id]);
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "pro", billingStatus: "active" });
    // Cancelled with prorate + invoice_now: the unused period is credited to the customer's balance,
    // which Stripe applies to the kept subscription's next invoice.
    const net = netCharged(customer);
    expect(net).toBeGreaterThanOrEqual(FAKE_UNIT_AMOUNT);
    expect(net).toBeLessThanOrEqual(FAKE_UNIT_AMOUNT + 1);
    const cancel = env.fake.control
      .requests()
      .find((r) => r.method === "DELETE" && r.path === `/v1/subscriptions/${second.subscription.id}`);
    expect(cancel).toMatchObject({ method: "DELETE", params: { prorate: "true", invoice_now: "true" } });
  });

  it.each([1, 2, 3])(
    "seed %i: shuffled, duplicated and parallel deliveries still keep the first and cancel the second once",
    async (seed) => {
      const orgId = await seedOrg(env.db, { owner: "owner", admin: "admin" });
      const { first, second, customer } = await twoConcurrentCheckouts(orgId);
      const deliveries = shuffled([...first.events, ...second.events], seed);
      for (const event of deliveries) await deliverEvent(env.webhookUrl, event, { secret: WEBHOOK_SECRET });
      const unique = [...new Set(deliveries.map((e) => e.id as string))];
      await Promise.all(unique.map((id) => applyStripeEvent(id, env.deps)));
      // Then every event about either subscription, the cancellation's own included (recorded ones are no-ops).
      const ids = new Set([first.subscription.id, second.subscription.id]);
      await deliverAndApply(
        env,
        env.fake.control.events().filter((e) => ids.has((e.data as { object: Json }).object.id)),
      );
      expect((await liveSubscriptions(customer)).map((s) => s.id)).toEqual([first.subscription.id]);
      expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "pro", billingStatus: "trialing" });
      expect((await auditActions(orgId)).filter((a) => a === "billing.duplicate_canceled")).toHaveLength(1);
    },
  );

  it("a crash after Stripe cancelled the duplicate but before Hearth recorded it: the retry audits it once", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner", admin: "admin" });
    const { first, second, customer } = await twoConcurrentCheckouts(orgId);
    // The first event's sync cancels the second subscription in Stripe, then dies before its transaction.
    const crashing = {
      ...env.deps,
      db: Object.create(env.db, { runTransaction: { value: () => Promise.reject(new Error("crashed")) } }),
    };
    await expect(syncSubscription(crashing, first.subscription.id as string)).rejects.toThrow("crashed");
    expect((await liveSubscriptions(customer)).map((s) => s.id)).toEqual([first.subscription.id]);
    expect(await auditActions(orgId)).not.toContain("billing.duplicate_canceled");

    // Only news of the cancelled one arrives: it is audited once, and the org follows the kept one.
    await deliverAndApply(env, second.events);
    expect((await auditActions(orgId)).filter((a) => a === "billing.duplicate_canceled")).toHaveLength(1);
    expect((await billingRecord(env.db, orgId)).subscriptionId).toBe(first.subscription.id);
    expect(await orgBilling(env.db, orgId)).toMatchObject({ plan: "pro", billingStatus: "trialing" });
  });
});
