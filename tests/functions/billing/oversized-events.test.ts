import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyStripeEvent } from "../../../functions/src/billing/apply-event.js";
import { handleStripeWebhook } from "../../../functions/src/billing/stripe-webhook.js";
import { reconcileBilling } from "../../../functions/src/jobs/reconcile-billing.js";
import { signPayload } from "../../fakes/stripe/index.js";
import { type BillingTestEnv, newId, startBillingTestEnv, WEBHOOK_SECRET } from "./support.js";

/**
 * Events Firestore can never store (over its 1 MiB document limit, or nested deeper than its 20 levels):
 * answered 200 so Stripe stops retrying, and kept as a trimmed `failed` record without the payload.
 */

let env: BillingTestEnv;

beforeAll(async () => {
  env = await startBillingTestEnv();
});
afterAll(() => env?.stop());

const CREATED = 1_780_000_000;

/** A signed event's JSON with `object` (JSON text) as its data object. */
function eventWith(object: string): { id: string; payload: string } {
  const id = `evt_${newId("big").replace(/-/g, "_")}`;
  const payload = `{"id":"${id}","object":"event","type":"invoice.paid","created":${CREATED},"data":{"object":${object}}}`;
  return { id, payload };
}

/** JSON text nesting `{"n": ...}` `levels` times around a string (built as text: too deep for JSON.stringify). */
function nested(levels: number): string {
  return `${'{"n":'.repeat(levels)}"leaf"${"}".repeat(levels)}`;
}

async function deliver(payload: string) {
  const deps = { db: env.db, clock: { now: () => new Date() }, webhookSecret: WEBHOOK_SECRET };
  const signature = signPayload(payload, WEBHOOK_SECRET);
  return handleStripeWebhook({ method: "POST", signature, rawBody: Buffer.from(payload) }, deps);
}

const cases = [
  { reason: "too-large", event: () => eventWith(`{"id":"in_1","memo":"${"x".repeat(1_100_000)}"}`) },
  { reason: "too-deep", event: () => eventWith(nested(25)) },
  { reason: "too-deep", event: () => eventWith(nested(20_000)) },
];

describe("stripeWebhook: events too large or too deep to store", () => {
  it.each(cases)("$reason: 200, a trimmed failed record, and a redelivery changes nothing", async (c) => {
    const event = c.event();
    const payload = event.payload;
    const first = await deliver(payload);
    expect(first).toEqual({ status: 200, body: { received: true } });
    const ref = env.db.doc(`stripeEvents/${event.id}`);
    const stored = (await ref.get()).data();
    expect(stored).toMatchObject({
      type: "invoice.paid",
      event: null,
      status: "failed",
      outcome: "unstorable",
      error: c.reason,
      size: Buffer.byteLength(payload),
    });
    expect(stored?.created.toDate().getTime()).toBe(CREATED * 1000);
    expect(JSON.stringify(stored).length).toBeLessThan(2_000);

    const before = (await ref.get()).updateTime;
    const again = await deliver(payload);
    expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect((await ref.get()).updateTime?.isEqual(before!)).toBe(true);

    // Neither the trigger nor the reconcile job tries to process it again.
    expect(await applyStripeEvent(event.id, env.deps)).toBe("unstorable");
    await reconcileBilling(env.deps);
    expect((await ref.get()).data()).toEqual(stored);
  });

  it("an event just under the limits is stored whole, pending", async () => {
    const event = eventWith(`{"id":"in_2","memo":"${"x".repeat(900_000)}","deep":${nested(15)}}`);
    const res = await deliver(event.payload);
    expect(res.status).toBe(200);
    const stored = (await env.db.doc(`stripeEvents/${event.id}`).get()).data();
    expect(stored).toMatchObject({ status: "pending", error: null });
    expect(stored?.event).toEqual(JSON.parse(event.payload));
  });
});
