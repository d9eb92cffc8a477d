import { readFileSync } from "node:fs";
import { BILLING_STATUSES, type BillingStatus } from "@hearth/schema";
import type { HttpsError } from "firebase-functions/https";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCheckoutSessionHandler } from "../../../functions/src/billing/create-checkout-session.js";
import { resolveOrgBilling } from "../../../functions/src/billing/entitlements.js";
import { INCOMPLETE_EXPIRY_SECONDS, type Json } from "../../fakes/stripe/index.js";
import {
  type BillingTestEnv,
  deliverAndApply,
  GRACE_DAYS,
  orgBilling,
  seedCancelledSubscription,
  seedOrg,
  startBillingTestEnv,
  subscribe,
} from "./support.js";

/**
 * Every subscription status Stripe has, reached through the fake the way Stripe gets there, delivered as
 * signed webhooks and processed; then the org must show what README's state table promises, and that
 * table must say what the code's mapping does.
 */
let env: BillingTestEnv;

beforeAll(async () => {
  env = await startBillingTestEnv();
});
afterAll(() => env?.stop());

/** Stripe's statuses, checked against the installed SDK's type: a new status fails the build here. */
const STRIPE_STATUSES: Record<Stripe.Subscription.Status, true> = {
  trialing: true,
  active: true,
  past_due: true,
  unpaid: true,
  canceled: true,
  incomplete: true,
  incomplete_expired: true,
  paused: true,
};

type Meaning = "paid" | "paid-then-free" | "free";

/** README's "How states map to plans" table: each status with what its `org plan` column says. */
function readmeStateTable(): Map<string, Meaning> {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const section = readme.split("### How states map to plans")[1]?.split("\n### ")[0] ?? "";
  const table = new Map<string, Meaning>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 4 || !cells[1]?.startsWith("`")) continue;
    const [, statuses = "", plan = ""] = cells;
    const meaning: Meaning =
      plan === "`free`"
        ? "free"
        : plan === "the subscribed plan"
          ? "paid"
          : /^the subscribed plan for `PAST_DUE_GRACE_DAYS`.*then `free`$/.test(plan)
            ? "paid-then-free"
            : (() => {
                throw new Error(`README state table: unreadable plan cell "${plan}"`);
              })();
    for (const status of statuses.matchAll(/`([a-z_]+)`/g)) {
      if (table.has(status[1] as string)) throw new Error(`README lists ${status[1]} twice`);
      table.set(status[1] as string, meaning);
    }
  }
  return table;
}

/** What the code does with a status: resolveOrgBilling now, and after the grace period. */
function codeMeaning(status: BillingStatus): Meaning {
  const now = new Date("2026-06-01T00:00:00Z");
  const at = (days: number) =>
    resolveOrgBilling({
      status,
      paidPlan: "team",
      previousPastDueSince: now,
      now: new Date(now.getTime() + days * 86_400_000),
      graceDays: GRACE_DAYS,
    }).plan;
  if (at(0) === "free") return "free";
  return at(GRACE_DAYS) === "free" ? "paid-then-free" : "paid";
}

describe("README's state table", () => {
  it("lists every Stripe status once, and each maps to the plan the code grants", () => {
    const table = readmeStateTable();
    expect([...table.keys()].sort()).toEqual(Object.keys(STRIPE_STATUSES).sort());
    expect(BILLING_STATUSES.filter((s) => s !== "none").sort()).toEqual(Object.keys(STRIPE_STATUSES).sort());
    for (const [status, meaning] of table) {
      expect({ status, meaning: codeMeaning(status as BillingStatus) }).toEqual({ status, meaning });
    }
  });
});

/** The org document's `plan` for a status the table maps, on the Pro plan. */
const EXPECTED_PLAN: Record<Meaning, "pro" | "free"> = { paid: "pro", "paid-then-free": "pro", free: "free" };

async function freshOrg(opts: { trial: boolean }) {
  const orgId = await seedOrg(env.db, { owner: "owner" });
  // An org that had a subscription before gets no second trial, so its first payment is due at once.
  if (!opts.trial) {
    await seedCancelledSubscription(env, orgId, "sub_before");
  }
  return orgId;
}

async function auditActions(orgId: string): Promise<string[]> {
  const log = await env.db.collection(`orgs/${orgId}/auditLog`).get();
  return log.docs.map((d) => d.get("action") as string);
}

async function expectOrgIn(orgId: string, subscriptionId: string, status: BillingStatus) {
  expect((await env.stripe.subscriptions.retrieve(subscriptionId)).status).toBe(status);
  const meaning = readmeStateTable().get(status) as Meaning;
  expect(await orgBilling(env.db, orgId)).toMatchObject({
    billingStatus: status,
    plan: EXPECTED_PLAN[meaning],
  });
}

// Emulator transactions and a cold first test are slow on a busy machine.
describe("every status, through signed webhooks", { timeout: 60_000 }, () => {
  it("trialing: a first Checkout with the plan's trial", async () => {
    const orgId = await freshOrg({ trial: true });
    const { subscriptionId, events } = await subscribe(env, orgId, "pro");
    await deliverAndApply(env, events);
    await expectOrgIn(orgId, subscriptionId, "trialing");
  });

  it("active: a Checkout without a trial whose first payment succeeds", async () => {
    const orgId = await freshOrg({ trial: false });
    const { subscriptionId, events } = await subscribe(env, orgId, "pro");
    await deliverAndApply(env, events);
    await expectOrgIn(orgId, subscriptionId, "active");
  });

  it("past_due: a renewal is declined; still paid through the grace period", async () => {
    const orgId = await freshOrg({ trial: false });
    const { subscriptionId, events } = await subscribe(env, orgId, "pro");
    await deliverAndApply(env, [...events, ...env.fake.control.failPayment(subscriptionId)]);
    await expectOrgIn(orgId, subscriptionId, "past_due");
  });

  it("past_due with 3-D Secure: a renewal requires action, the customer authenticates, active again", async () => {
    const orgId = await freshOrg({ trial: false });
    const { subscriptionId, events } = await subscribe(env, orgId, "pro");
    await deliverAndApply(env, [...events, ...env.fake.control.requireAction(subscriptionId)]);
    await expectOrgIn(orgId, subscriptionId, "past_due");
    expect(await auditActions(orgId)).toContain("billing.payment_action_required");
    await deliverAndApply(env, env.fake.control.confirmPayment(subscriptionId));
    await expectOrgIn(orgId, subscriptionId, "active");
  });

  it("unpaid: retries exhausted", async () => {
    const orgId = await freshOrg({ trial: false });
    const { subscriptionId, events } = await subscribe(env, orgId, "pro");
    await deliverAndApply(env, [
      ...events,
      ...env.fake.control.failPayment(subscriptionId),
      ...env.fake.control.markUnpaid(subscriptionId),
    ]);
    await expectOrgIn(orgId, subscriptionId, "unpaid");
  });

  it("canceled: ended at once", async () => {
    const orgId = await freshOrg({ trial: true });
    const { subscriptionId, events } = await subscribe(env, orgId, "pro");
    await deliverAndApply(env, [...events, ...env.fake.control.cancelNow(subscriptionId)]);
    await expectOrgIn(orgId, subscriptionId, "canceled");
  });

  it("paused: a trial ends without a payment method", async () => {
    const orgId = await freshOrg({ trial: true });
    const { subscriptionId, events } = await subscribe(env, orgId, "pro");
    await deliverAndApply(env, [...events, ...env.fake.control.pause(subscriptionId)]);
    await expectOrgIn(orgId, subscriptionId, "paused");
  });

  it("incomplete (3-D Secure): the first payment requires action; free, audited, then active once authenticated", async () => {
    const orgId = await freshOrg({ trial: false });
    const { subscriptionId, events } = await subscribe(env, orgId, "pro", "owner", "requires_action");
    await deliverAndApply(env, events);
    await expectOrgIn(orgId, subscriptionId, "incomplete");
    expect(await auditActions(orgId)).toContain("billing.payment_action_required");
    // The first invoice is still open: a second Checkout is refused (it would be a duplicate).
    const refused = await createCheckoutSessionHandler(
      env.deps,
      { uid: "owner", email: null, emailVerified: true },
      { orgId, planId: "team" },
    ).catch((err: HttpsError) => err);
    expect(refused).toMatchObject({ code: "failed-precondition", details: { reason: "already-subscribed" } });

    await deliverAndApply(env, env.fake.control.confirmPayment(subscriptionId));
    await expectOrgIn(orgId, subscriptionId, "active");
  });

  it("incomplete_expired: the first payment is declined and not completed within 23 hours", async () => {
    const orgId = await freshOrg({ trial: false });
    const { subscriptionId, events } = await subscribe(env, orgId, "pro", "owner", "fails");
    await deliverAndApply(env, events);
    await expectOrgIn(orgId, subscriptionId, "incomplete");
    expect(await auditActions(orgId)).toContain("billing.payment_failed");

    expect(env.fake.control.advanceClock(INCOMPLETE_EXPIRY_SECONDS - 60)).toEqual([]);
    const expiry = env.fake.control.advanceClock(60);
    expect(expiry.map((e: Json) => e.type)).toEqual(["customer.subscription.updated"]);
    await deliverAndApply(env, expiry);
    await expectOrgIn(orgId, subscriptionId, "incomplete_expired");

    // Expired is final: the org may check out again (without a second trial).
    const again = await createCheckoutSessionHandler(
      env.deps,
      { uid: "owner", email: null, emailVerified: true },
      { orgId, planId: "pro" },
    );
    expect(again.sessionId).toMatch(/^cs_test_/);
  });
});
