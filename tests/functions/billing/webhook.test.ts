import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverEvent, type Json } from "../../fakes/stripe/index.js";
import { type BillingTestEnv, PRICES, seedOrg, startBillingTestEnv, WEBHOOK_SECRET } from "./support.js";

let env: BillingTestEnv;

beforeAll(async () => {
  env = await startBillingTestEnv();
});
afterAll(() => env?.stop());

/** A real event from the fake: a completed checkout's first event. */
async function someEvent(): Promise<Json> {
  const orgId = await seedOrg(env.db);
  const customer = await env.stripe.customers.create({ metadata: { orgId } });
  const session = await env.stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price: PRICES.pro, quantity: 1 }],
    subscription_data: { metadata: { orgId } },
    success_url: "http://app.test/ok",
  });
  return env.fake.control.completeCheckout(session.id).events[0] as Json;
}

const eventDoc = (id: unknown) => env.db.doc(`stripeEvents/${id}`).get();

describe("stripeWebhook: accepted deliveries", () => {
  it("records a signed event once, pending, with the event as received", async () => {
    const event = await someEvent();
    const res = await deliverEvent(env.webhookUrl, event, { secret: WEBHOOK_SECRET });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ received: true });
    const doc = await eventDoc(event.id);
    expect(doc.data()).toMatchObject({
      type: "customer.subscription.created",
      status: "pending",
      attempts: 0,
      error: null,
      event,
    });
    expect(doc.get("created").toDate().getTime()).toBe((event.created as number) * 1000);
  });

  it("duplicate delivery: 200 and no change to the recorded event", async () => {
    const event = await someEvent();
    await deliverEvent(env.webhookUrl, event, { secret: WEBHOOK_SECRET });
    await env.db.doc(`stripeEvents/${event.id}`).update({ status: "processed", attempts: 1 });
    const again = await deliverEvent(env.webhookUrl, event, { secret: WEBHOOK_SECRET });
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toEqual({ received: true, duplicate: true });
    expect((await eventDoc(event.id)).data()).toMatchObject({ status: "processed", attempts: 1 });
  });

  it("a signature dated a little ahead (clock skew within the tolerance) is accepted", async () => {
    const event = await someEvent();
    const skewed = Math.floor(Date.now() / 1000) + 60;
    const res = await deliverEvent(env.webhookUrl, event, { secret: WEBHOOK_SECRET, timestamp: skewed });
    expect(res.status).toBe(200);
    expect((await eventDoc(event.id)).exists).toBe(true);
  });

  it("many concurrent deliveries of one event record it exactly once", async () => {
    const event = await someEvent();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => deliverEvent(env.webhookUrl, event, { secret: WEBHOOK_SECRET })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.filter((r) => !r.body.includes("duplicate"))).toHaveLength(1);
  });
});

describe("stripeWebhook: refused deliveries change nothing", () => {
  async function expectRefused(event: Json, opts: Parameters<typeof deliverEvent>[2], status = 400) {
    const res = await deliverEvent(env.webhookUrl, event, opts);
    expect(res.status).toBe(status);
    expect(res.body).not.toMatch(/whsec_|sk_test_|cus_/);
    expect((await eventDoc(event.id)).exists).toBe(false);
    return JSON.parse(res.body) as { error: string };
  }

  it("unsigned: 400", async () => {
    const body = await expectRefused(await someEvent(), { secret: WEBHOOK_SECRET, signature: null });
    expect(body.error).toBe("missing-signature");
  });

  it("signed with another secret: 400", async () => {
    const body = await expectRefused(await someEvent(), { secret: "whsec_someone_else" });
    expect(body.error).toBe("invalid-signature");
  });

  it("tampered body (signature of the original, payload changed): 400", async () => {
    const event = await someEvent();
    const original = JSON.stringify(event);
    const { signPayload } = await import("../../fakes/stripe/index.js");
    const signature = signPayload(original, WEBHOOK_SECRET);
    const tampered = original.replace('"trialing"', '"active"').replace('"active"', '"canceled"');
    expect(tampered).not.toBe(original);
    await expectRefused(event, { secret: WEBHOOK_SECRET, signature, payload: tampered });
  });

  it("stale: a signature older than five minutes is refused", async () => {
    const stale = Math.floor(Date.now() / 1000) - 301;
    await expectRefused(await someEvent(), { secret: WEBHOOK_SECRET, timestamp: stale });
  });

  it("future: a signature dated more than five minutes ahead is refused (it could be replayed until then)", async () => {
    // Well past the 300 s tolerance, so a slow delivery on a loaded machine cannot bring it back inside.
    const ahead = Math.floor(Date.now() / 1000) + 330;
    const body = await expectRefused(await someEvent(), { secret: WEBHOOK_SECRET, timestamp: ahead });
    expect(body.error).toBe("invalid-signature");
    const farAhead = Math.floor(Date.now() / 1000) + 30 * 86_400;
    await expectRefused(await someEvent(), { secret: WEBHOOK_SECRET, timestamp: farAhead });
  });

  it("garbage signature header: 400", async () => {
    await expectRefused(await someEvent(), { secret: WEBHOOK_SECRET, signature: "t=abc,v1=zzz" });
  });

  it("signed, but not a Stripe event id: 400", async () => {
    const event = { ...(await someEvent()), id: "not-an-event id" };
    const body = await expectRefused(event, { secret: WEBHOOK_SECRET });
    expect(body.error).toBe("invalid-event");
  });

  it("GET: 405", async () => {
    const res = await fetch(env.webhookUrl);
    expect(res.status).toBe(405);
  });
});
