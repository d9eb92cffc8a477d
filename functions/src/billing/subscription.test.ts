import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { DUPLICATE_CANCEL_COMMENT, readSubscription, subscriptionIdOf } from "./subscription.js";

const event = (type: string, object: Record<string, unknown>) => ({ type, data: { object } });

describe("subscriptionIdOf", () => {
  it("customer.subscription.*: the object's own id", () => {
    expect(subscriptionIdOf(event("customer.subscription.deleted", { id: "sub_1" }))).toBe("sub_1");
    expect(subscriptionIdOf(event("customer.subscription.trial_will_end", { id: "sub_2" }))).toBe("sub_2");
  });

  it("checkout.session.completed: the subscription of a subscription-mode session, id or expanded", () => {
    expect(
      subscriptionIdOf(event("checkout.session.completed", { mode: "subscription", subscription: "sub_1" })),
    ).toBe("sub_1");
    expect(
      subscriptionIdOf(
        event("checkout.session.completed", { mode: "subscription", subscription: { id: "sub_2" } }),
      ),
    ).toBe("sub_2");
    expect(
      subscriptionIdOf(event("checkout.session.completed", { mode: "payment", subscription: null })),
    ).toBeNull();
  });

  it("invoice.*: from parent.subscription_details (API 2025+), else the legacy field, else none", () => {
    const parent = { type: "subscription_details", subscription_details: { subscription: "sub_1" } };
    expect(subscriptionIdOf(event("invoice.paid", { parent }))).toBe("sub_1");
    expect(subscriptionIdOf(event("invoice.payment_failed", { subscription: "sub_old" }))).toBe("sub_old");
    expect(subscriptionIdOf(event("invoice.paid", { parent: null }))).toBeNull();
  });

  it("other events concern no subscription", () => {
    expect(subscriptionIdOf(event("customer.created", { id: "cus_1" }))).toBeNull();
    expect(subscriptionIdOf(event("charge.succeeded", { id: "ch_1" }))).toBeNull();
  });
});

describe("readSubscription", () => {
  const base = {
    id: "sub_1",
    customer: "cus_1",
    status: "active",
    metadata: { orgId: "org1" },
    created: 1_700_000_000,
    cancel_at_period_end: false,
    cancel_at: null,
    items: {
      data: [{ id: "si_1", quantity: 4, price: { id: "price_team" }, current_period_end: 1_702_592_000 }],
    },
  };
  const read = (overrides: Record<string, unknown> = {}) =>
    readSubscription({ ...base, ...overrides } as unknown as Stripe.Subscription);

  it("keeps what Hearth needs, periods from the item", () => {
    expect(read()).toEqual({
      id: "sub_1",
      orgId: "org1",
      customerId: "cus_1",
      status: "active",
      priceId: "price_team",
      itemId: "si_1",
      quantity: 4,
      createdAt: new Date(1_700_000_000_000),
      currentPeriodEnd: new Date(1_702_592_000_000),
      cancelAtPeriodEnd: false,
      canceledAsDuplicate: false,
    });
  });

  it("a subscription Hearth cancelled as an org's duplicate says so", () => {
    const details = { comment: DUPLICATE_CANCEL_COMMENT, feedback: null, reason: "cancellation_requested" };
    expect(read({ status: "canceled", cancellation_details: details }).canceledAsDuplicate).toBe(true);
    expect(read({ status: "canceled", cancellation_details: { comment: "other" } }).canceledAsDuplicate).toBe(
      false,
    );
  });

  it("cancel at period end: from the flag or from a cancel_at date", () => {
    expect(read({ cancel_at_period_end: true }).cancelAtPeriodEnd).toBe(true);
    expect(read({ cancel_at: 1_702_592_000 }).cancelAtPeriodEnd).toBe(true);
  });

  it("an expanded customer, a missing org id and an unknown status", () => {
    const sub = read({ customer: { id: "cus_9" }, metadata: {}, status: "brand_new_status" });
    expect(sub).toMatchObject({ customerId: "cus_9", orgId: null, status: "incomplete" });
  });
});
