import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeClient } from "../../../functions/src/billing/stripe-client.js";
import {
  FAKE_UNIT_AMOUNT,
  type FakeStripe,
  INCOMPLETE_EXPIRY_SECONDS,
  METER_IDENTIFIER_WINDOW_SECONDS,
  startFakeStripe,
} from "../../fakes/stripe/index.js";

// The fake must behave like Stripe for the real SDK, or every billing test above it proves nothing.
let fake: FakeStripe;
let stripe: Stripe;

beforeAll(async () => {
  fake = await startFakeStripe({ prices: ["price_pro", "price_team"] });
  stripe = createStripeClient("sk_test_fake", fake.url);
});
afterAll(() => fake.stop());

async function checkout(quantity = 1, trialDays?: number) {
  const customer = await stripe.customers.create({ name: "Acme", metadata: { orgId: "org1" } });
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price: "price_team", quantity }],
    metadata: { orgId: "org1" },
    subscription_data: { metadata: { orgId: "org1" }, trial_period_days: trialDays },
    success_url: "http://app/ok",
  });
  return { customer, session, ...fake.control.completeCheckout(session.id) };
}

/** An open Checkout session for one Pro subscription, not yet completed. */
async function openProSession() {
  const customer = await stripe.customers.create({});
  return stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price: "price_pro", quantity: 1 }],
    success_url: "http://app/ok",
  });
}

describe("fake Stripe through the stripe SDK", () => {
  it("customers: create and retrieve, form-encoded metadata round-trips", async () => {
    const customer = await stripe.customers.create({
      email: "a@example.com",
      metadata: { orgId: "o/1 & x" },
    });
    expect(customer.id).toMatch(/^cus_/);
    const again = await stripe.customers.retrieve(customer.id);
    expect(again).toMatchObject({
      object: "customer",
      email: "a@example.com",
      metadata: { orgId: "o/1 & x" },
    });
  });

  it("errors: a missing object is a StripeInvalidRequestError with code resource_missing", async () => {
    const err = await stripe.subscriptions.retrieve("sub_nope").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });

  it("errors: a bad API key is a StripeAuthenticationError", async () => {
    const bad = createStripeClient("sk_live_wrong", fake.url);
    await expect(bad.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it("errors: an unknown price is refused", async () => {
    const customer = await stripe.customers.create({});
    await expect(
      stripe.checkout.sessions.create({
        mode: "subscription",
        customer: customer.id,
        line_items: [{ price: "price_other", quantity: 1 }],
        success_url: "http://app/ok",
      }),
    ).rejects.toMatchObject({ code: "resource_missing", param: "line_items[0][price]" });
  });

  it("idempotency: the same key and params replay the first answer without a second object", async () => {
    const before = fake.control.requests().length;
    const a = await stripe.customers.create({ name: "Once" }, { idempotencyKey: "idem-1" });
    const b = await stripe.customers.create({ name: "Once" }, { idempotencyKey: "idem-1" });
    expect(b.id).toBe(a.id);
    expect(b.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(
      fake.control
        .requests()
        .slice(before)
        .map((r) => r.idempotencyKey),
    ).toEqual(["idem-1", "idem-1"]);
  });

  it("idempotency: the same key with other params is an idempotency error", async () => {
    await stripe.customers.create({ name: "First" }, { idempotencyKey: "idem-2" });
    await expect(
      stripe.customers.create({ name: "Second" }, { idempotencyKey: "idem-2" }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it("checkout: completing a session starts a subscription and emits the events in Stripe's shapes", async () => {
    const { session, subscription, events } = await checkout(3, 14);
    expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/cs_test_/);
    expect(events.map((e) => e.type)).toEqual([
      "customer.subscription.created",
      "invoice.paid",
      "checkout.session.completed",
    ]);
    const sub = await stripe.subscriptions.retrieve(subscription.id as string);
    expect(sub).toMatchObject({
      status: "trialing",
      metadata: { orgId: "org1" },
      cancel_at_period_end: false,
    });
    expect(sub.items.data[0]).toMatchObject({ quantity: 3, price: { id: "price_team" } });
    expect(sub.items.data[0]?.current_period_end).toBeGreaterThan(sub.created);
    const invoice = events[1]?.data as { object: Stripe.Invoice };
    expect(invoice.object.parent?.subscription_details?.subscription).toBe(sub.id);
    const completed = await stripe.checkout.sessions.retrieve(session.id);
    expect(completed).toMatchObject({ status: "complete", subscription: sub.id });
  });

  it("subscriptions: updating the item quantity emits customer.subscription.updated with previous_attributes", async () => {
    const { subscription } = await checkout(2);
    const sub = await stripe.subscriptions.retrieve(subscription.id as string);
    const mark = fake.control.events().length;
    const updated = await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]?.id as string, quantity: 5 }],
      proration_behavior: "create_prorations",
    });
    expect(updated.items.data[0]?.quantity).toBe(5);
    const [event] = fake.control.events().slice(mark) as unknown as Stripe.CustomerSubscriptionUpdatedEvent[];
    expect(event?.type).toBe("customer.subscription.updated");
    expect(event?.data.previous_attributes?.items?.data[0]?.quantity).toBe(2);
  });

  it("subscriptions: cancel at period end, then the period ends and the subscription is deleted", async () => {
    const { subscription } = await checkout();
    const id = subscription.id as string;
    fake.control.cancelAtPeriodEnd(id);
    expect((await stripe.subscriptions.retrieve(id)).cancel_at_period_end).toBe(true);
    const events = fake.control.endPeriod(id);
    expect(events.map((e) => e.type)).toEqual(["customer.subscription.deleted"]);
    expect((await stripe.subscriptions.retrieve(id)).status).toBe("canceled");
  });

  it("subscriptions: payment failure and recovery", async () => {
    const { subscription } = await checkout();
    const id = subscription.id as string;
    expect(fake.control.failPayment(id).map((e) => e.type)).toEqual([
      "invoice.payment_failed",
      "customer.subscription.updated",
    ]);
    expect((await stripe.subscriptions.retrieve(id)).status).toBe("past_due");
    expect(fake.control.recoverPayment(id).map((e) => e.type)).toEqual([
      "invoice.paid",
      "customer.subscription.updated",
    ]);
    expect((await stripe.subscriptions.retrieve(id)).status).toBe("active");
  });

  it("subscriptions: DELETE cancels at once", async () => {
    const { subscription } = await checkout();
    const canceled = await stripe.subscriptions.cancel(subscription.id as string);
    expect(canceled.status).toBe("canceled");
    await expect(stripe.subscriptions.cancel(subscription.id as string)).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });

  it("billing portal: returns a session url for a known customer", async () => {
    const customer = await stripe.customers.create({});
    const session = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      return_url: "http://app",
    });
    expect(session.url).toMatch(/\/portal\/bps_/);
    await expect(stripe.billingPortal.sessions.create({ customer: "cus_missing" })).rejects.toMatchObject({
      code: "resource_missing",
    });
  });

  it("meter events: a repeated identifier is refused only within Stripe's 24-hour window", async () => {
    const send = () =>
      stripe.billing.meterEvents.create({
        event_name: "hearth_ai_overage",
        identifier: "window-1",
        payload: { stripe_customer_id: "cus_window", value: "5" },
      });
    await send();
    fake.control.advanceClock(METER_IDENTIFIER_WINDOW_SECONDS - 60);
    await expect(send()).rejects.toMatchObject({ code: "duplicate_meter_event" });
    fake.control.advanceClock(120);
    await expect(send()).resolves.toMatchObject({ identifier: "window-1" });
    expect(fake.control.meterEvents().filter((e) => e.identifier === "window-1")).toHaveLength(2);
  });

  it("meter event summaries: what Stripe recorded for a customer on a meter in a time range", async () => {
    const meters = await stripe.billing.meters.list({ status: "active" });
    const meter = meters.data.find((m) => m.event_name === "hearth_ai_overage");
    expect(meter?.id).toMatch(/^mtr_test_/);
    const start = Math.floor(fake.control.now() / 3600) * 3600 - 3600;
    for (const [offset, value] of [
      [0, "7"],
      [60, "5"],
      [3600, "100"],
    ] as const) {
      await stripe.billing.meterEvents.create({
        event_name: "hearth_ai_overage",
        timestamp: start + offset,
        payload: { stripe_customer_id: "cus_summary", value },
      });
    }
    const list = (end: number) =>
      stripe.billing.meters.listEventSummaries(meter?.id as string, {
        customer: "cus_summary",
        start_time: start,
        end_time: end,
      });
    expect((await list(start + 3600)).data.map((s) => s.aggregated_value)).toEqual([12]);
    expect((await list(start + 7200)).data.map((s) => s.aggregated_value)).toEqual([112]);
    await expect(list(start + 30)).rejects.toMatchObject({ code: "parameter_invalid", param: "end_time" });
  });

  it("meter events: recorded as received; a repeated identifier is refused", async () => {
    const event = await stripe.billing.meterEvents.create({
      event_name: "ai_overage",
      identifier: "org1-2026-03",
      payload: { stripe_customer_id: "cus_1", value: "42" },
    });
    expect(event).toMatchObject({ object: "billing.meter_event", event_name: "ai_overage" });
    expect(fake.control.meterEvents()).toContainEqual(
      expect.objectContaining({
        identifier: "org1-2026-03",
        payload: { stripe_customer_id: "cus_1", value: "42" },
      }),
    );
    const overHttp = (await (await fetch(`${fake.url}/_fake/meter_events`)).json()) as {
      meterEvents: { identifier: string }[];
    };
    expect(overHttp.meterEvents.map((e) => e.identifier)).toContain("org1-2026-03");
    await expect(
      stripe.billing.meterEvents.create({
        event_name: "ai_overage",
        identifier: "org1-2026-03",
        payload: { stripe_customer_id: "cus_1", value: "42" },
      }),
    ).rejects.toMatchObject({ code: "duplicate_meter_event" });
    await expect(
      stripe.billing.meterEvents.create({ event_name: "ai_overage", payload: { value: "1" } }),
    ).rejects.toMatchObject({ code: "parameter_missing", param: "payload[stripe_customer_id]" });
  });

  it("first payment needs 3-D Secure: incomplete until the customer completes it, then active", async () => {
    const session = await openProSession();
    const { subscription, events } = fake.control.completeCheckout(session.id, {
      payment: "requires_action",
    });
    expect(events.map((e) => e.type)).toEqual([
      "customer.subscription.created",
      "invoice.payment_action_required",
      "checkout.session.completed",
    ]);
    const id = subscription.id as string;
    const sub = await stripe.subscriptions.retrieve(id);
    expect(sub.status).toBe("incomplete");
    const invoice = await stripe.invoices.retrieve(sub.latest_invoice as string);
    expect(invoice).toMatchObject({ status: "open", amount_due: FAKE_UNIT_AMOUNT });
    const intentId = invoice.payments?.data[0]?.payment.payment_intent as string;
    expect(await stripe.paymentIntents.retrieve(intentId)).toMatchObject({
      status: "requires_action",
      next_action: { type: "use_stripe_sdk" },
    });
    expect(fake.control.confirmPayment(id).map((e) => e.type)).toEqual([
      "invoice.paid",
      "customer.subscription.updated",
    ]);
    expect((await stripe.subscriptions.retrieve(id)).status).toBe("active");
    expect((await stripe.paymentIntents.retrieve(intentId)).status).toBe("succeeded");
  });

  it("first payment declined and never completed: incomplete_expired 23 hours later", async () => {
    const session = await openProSession();
    const { subscription, events } = fake.control.completeCheckout(session.id, { payment: "fails" });
    expect(events.map((e) => e.type)).toContain("invoice.payment_failed");
    const id = subscription.id as string;
    expect(fake.control.advanceClock(INCOMPLETE_EXPIRY_SECONDS - 60)).toEqual([]);
    expect((await stripe.subscriptions.retrieve(id)).status).toBe("incomplete");
    expect(fake.control.advanceClock(60).map((e) => e.type)).toEqual(["customer.subscription.updated"]);
    const expired = await stripe.subscriptions.retrieve(id);
    expect(expired.status).toBe("incomplete_expired");
    expect((await stripe.invoices.retrieve(expired.latest_invoice as string)).status).toBe("void");
    expect(() => fake.control.confirmPayment(id)).toThrow();
  });

  it("subscriptions: listing skips canceled ones unless status=all", async () => {
    const { customer, subscription } = await checkout();
    await stripe.subscriptions.cancel(subscription.id as string);
    expect((await stripe.subscriptions.list({ customer: customer.id })).data).toEqual([]);
    const all = await stripe.subscriptions.list({ customer: customer.id, status: "all" });
    expect(all.data.map((s) => s.status)).toEqual(["canceled"]);
  });

  it("subscriptions: cancel now with prorate and invoice_now credits the unused time to the customer", async () => {
    const { customer, subscription } = await checkout(2);
    const id = subscription.id as string;
    const canceled = await stripe.subscriptions.cancel(id, {
      prorate: true,
      invoice_now: true,
      cancellation_details: { comment: "duplicate" },
    });
    expect(canceled).toMatchObject({ status: "canceled", cancellation_details: { comment: "duplicate" } });
    const paid = 2 * FAKE_UNIT_AMOUNT;
    const balance = (fake.control.customer(customer.id)?.balance as number) ?? 0;
    expect(balance).toBeLessThan(0);
    expect(paid + balance).toBeLessThanOrEqual(1); // a few seconds of use, rounded
    const credit = fake.control.invoices().find((i) => i.subscription === id && (i.total as number) < 0);
    expect(credit).toMatchObject({ billing_reason: "subscription_cancel", total: balance });
  });

  it("failNext: injected failures are answered once each and not executed", async () => {
    fake.control.failNext({ pathPrefix: "/v1/customers", status: 503, count: 1 });
    await expect(stripe.customers.create({ name: "x" })).rejects.toMatchObject({ statusCode: 503 });
    await expect(stripe.customers.create({ name: "x" })).resolves.toMatchObject({ object: "customer" });
  });

  it("control over HTTP: drives a subscription for another process", async () => {
    const { subscription } = await checkout();
    const res = await fetch(`${fake.url}/_fake/control`, {
      method: "POST",
      body: JSON.stringify({ action: "pause", id: subscription.id }),
    });
    const body = (await res.json()) as { events: { type: string }[] };
    expect(body.events.map((e) => e.type)).toEqual([
      "customer.subscription.updated",
      "customer.subscription.paused",
    ]);
    // A first payment needing 3-D Secure, then 23 hours without it, over HTTP too.
    const session = await openProSession();
    const control = (command: object) =>
      fetch(`${fake.url}/_fake/control`, { method: "POST", body: JSON.stringify(command) });
    const started = (await (
      await control({ action: "completeCheckout", id: session.id, payment: "requires_action" })
    ).json()) as { subscription: { id: string; status: string } };
    expect(started.subscription.status).toBe("incomplete");
    const expired = (await (
      await control({ action: "advanceClock", seconds: INCOMPLETE_EXPIRY_SECONDS })
    ).json()) as {
      events: { data: { object: { id: string; status: string } } }[];
    };
    expect(expired.events.map((e) => e.data.object)).toContainEqual(
      expect.objectContaining({ id: started.subscription.id, status: "incomplete_expired" }),
    );
    const bad = await fetch(`${fake.url}/_fake/control`, {
      method: "POST",
      body: JSON.stringify({ action: "nope" }),
    });
    expect(bad.status).toBe(400);
  });

  it("webhook option: every event is delivered, signed so that the SDK verifies it", async () => {
    const received: Stripe.Event[] = [];
    const secret = "whsec_fake_delivery";
    const endpoint = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      received.push(Stripe.webhooks.constructEvent(body, String(req.headers["stripe-signature"]), secret));
      res.end("{}");
    });
    await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/hook`;
    const delivering = await startFakeStripe({ webhook: { url, secret } });
    const client = createStripeClient("sk_test_fake", delivering.url);
    const customer = await client.customers.create({});
    const session = await client.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: "price_any", quantity: 1 }],
      success_url: "http://app/ok",
    });
    const { events } = delivering.control.completeCheckout(session.id);
    await delivering.stop();
    await new Promise<void>((resolve) => endpoint.close(() => resolve()));
    expect(received.map((e) => e.id).sort()).toEqual(events.map((e) => e.id as string).sort());
  });

  it("events: retrievable by id", async () => {
    const { events } = await checkout();
    const event = await stripe.events.retrieve(events[0]?.id as string);
    expect(event.type).toBe("customer.subscription.created");
  });
});
