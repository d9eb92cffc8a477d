/**
 * The fake's hosted Checkout and Portal pages over HTTP, as a browser uses them (a GET, then a form POST
 * answered with a 303): each choice ends where Stripe would send the customer and delivers the signed
 * webhooks Stripe would send.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeStripe, startFakeStripe } from "./index.js";

const SECRET = "whsec_pages_test";
let fake: FakeStripe;
let receiver: Server;
let received: Stripe.Event[] = [];
const api = new Stripe("sk_test_pages");

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      // Only correctly signed events count, as in Hearth's stripeWebhook.
      const event = api.webhooks.constructEvent(
        Buffer.concat(chunks).toString("utf8"),
        String(req.headers["stripe-signature"]),
        SECRET,
      );
      received.push(event);
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as AddressInfo).port;
  fake = await startFakeStripe({ webhook: { url: `http://127.0.0.1:${port}/hook`, secret: SECRET } });
});

beforeEach(() => {
  received = [];
});

afterAll(async () => {
  await fake?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

function client() {
  return new Stripe("sk_test_pages", {
    host: "127.0.0.1",
    port: Number(new URL(fake.url).port),
    protocol: "http",
    maxNetworkRetries: 0,
  });
}

async function checkout(metadata: Record<string, string> = {}, trialDays = 0) {
  const stripe = client();
  const customer = await stripe.customers.create({ email: "owner@example.com" });
  return stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price: "price_local_pro", quantity: 2 }],
    success_url: "http://localhost:5173/orgs/acme/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://localhost:5173/orgs/acme/billing?checkout=canceled",
    metadata,
    ...(trialDays ? { subscription_data: { trial_period_days: trialDays } } : {}),
  });
}

const choose = (url: string, form: Record<string, string>) =>
  fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });

const eventTypes = () => received.map((e) => e.type);

describe("Checkout page", () => {
  it("shows the order, with hostile metadata as text", async () => {
    const session = await checkout({ orgId: "<script>alert(1)</script>" });
    const res = await fetch(session.url!);
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain("price_local_pro");
    expect(page).toContain("$20.00 a month");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>alert(1)");
    for (const choice of ["pay", "requires_action", "decline", "cancel"])
      expect(page).toContain(`value="${choice}"`);
  });

  it("pays, returns to success_url with the session id, and delivers the webhooks", async () => {
    const session = await checkout();
    const res = await choose(session.url!, { choice: "pay" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(
      `http://localhost:5173/orgs/acme/billing?checkout=success&session_id=${session.id}`,
    );
    await expect
      .poll(eventTypes)
      .toEqual(["customer.subscription.created", "invoice.paid", "checkout.session.completed"]);
    const completed = await client().checkout.sessions.retrieve(session.id);
    expect(completed.status).toBe("complete");
    const sub = await client().subscriptions.retrieve(String(completed.subscription));
    expect(sub.status).toBe("active");

    // The session cannot be paid twice; its page says it is done.
    const again = await choose(session.url!, { choice: "pay" });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("no longer open");
    expect(await (await fetch(session.url!)).text()).toContain("This Checkout session is complete");
  });

  it("a declined card leaves the subscription incomplete, with invoice.payment_failed sent", async () => {
    const session = await checkout();
    const res = await choose(session.url!, { choice: "decline" });
    expect(res.status).toBe(303);
    await expect.poll(eventTypes).toContain("invoice.payment_failed");
    const completed = await client().checkout.sessions.retrieve(session.id);
    expect((await client().subscriptions.retrieve(String(completed.subscription))).status).toBe("incomplete");
  });

  it("cancel goes back to cancel_url and leaves the session open, sending nothing", async () => {
    const session = await checkout();
    const res = await choose(session.url!, { choice: "cancel" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("http://localhost:5173/orgs/acme/billing?checkout=canceled");
    expect((await client().checkout.sessions.retrieve(session.id)).status).toBe("open");
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual([]);
  });

  it("refuses an unknown choice or session, changing nothing", async () => {
    const session = await checkout();
    expect((await choose(session.url!, { choice: "steal" })).status).toBe(400);
    expect((await client().checkout.sessions.retrieve(session.id)).status).toBe("open");
    expect((await fetch(`${fake.url}/checkout/cs_test_missing`)).status).toBe(404);
  });
});

describe("Portal page", () => {
  async function subscribed() {
    const session = await checkout();
    await choose(session.url!, { choice: "pay" });
    const completed = await client().checkout.sessions.retrieve(session.id);
    const portal = await client().billingPortal.sessions.create({
      customer: String(completed.customer),
      return_url: "http://localhost:5173/orgs/acme/billing",
    });
    await expect.poll(eventTypes).toContain("checkout.session.completed");
    received = [];
    return { portal, subscription: String(completed.subscription) };
  }

  it("cancels at period end and undoes it, back on the portal with what was sent", async () => {
    const { portal, subscription } = await subscribed();
    const page = await (await fetch(portal.url)).text();
    expect(page).toContain('href="http://localhost:5173/orgs/acme/billing"');
    const res = await choose(portal.url, { subscription, choice: "cancel_at_period_end" });
    expect(res.status).toBe(303);
    const back = new URL(res.headers.get("location")!, fake.url);
    expect(back.pathname).toBe(`/portal/${portal.id}`);
    expect(await (await fetch(back)).text()).toContain("Done: customer.subscription.updated.");
    expect((await client().subscriptions.retrieve(subscription)).cancel_at_period_end).toBe(true);
    await choose(portal.url, { subscription, choice: "keep" });
    expect((await client().subscriptions.retrieve(subscription)).cancel_at_period_end).toBe(false);
    await expect.poll(eventTypes).toEqual(["customer.subscription.updated", "customer.subscription.updated"]);
  });

  it("pays an open invoice after a failed renewal, and cancels now", async () => {
    const { portal, subscription } = await subscribed();
    fake.control.failPayment(subscription);
    expect(await (await fetch(portal.url)).text()).toContain('value="pay_invoice"');
    await choose(portal.url, { subscription, choice: "pay_invoice" });
    expect((await client().subscriptions.retrieve(subscription)).status).toBe("active");
    await choose(portal.url, { subscription, choice: "cancel_now" });
    expect((await client().subscriptions.retrieve(subscription)).status).toBe("canceled");
    await expect.poll(eventTypes).toContain("customer.subscription.deleted");
  });

  it("refuses another customer's subscription", async () => {
    const { portal } = await subscribed();
    const other = await subscribed();
    const res = await choose(portal.url, { subscription: other.subscription, choice: "cancel_now" });
    expect(res.status).toBe(404);
    expect((await client().subscriptions.retrieve(other.subscription)).status).toBe("active");
  });
});
