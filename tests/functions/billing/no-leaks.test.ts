import type { HttpsError } from "firebase-functions/https";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { applyStripeEvent } from "../../../functions/src/billing/apply-event.js";
import { createCheckoutSession } from "../../../functions/src/billing/create-checkout-session.js";
import { createPortalSession } from "../../../functions/src/billing/create-portal-session.js";
import { syncSeats } from "../../../functions/src/billing/sync-seats.js";
import { reconcileBilling } from "../../../functions/src/jobs/reconcile-billing.js";
import { deliverEvent, type Json } from "../../fakes/stripe/index.js";
import {
  type BillingTestEnv,
  callAs,
  deliverAndApply,
  seedOrg,
  startBillingTestEnv,
  WEBHOOK_SECRET,
} from "./support.js";

// Every log line Hearth writes goes through firebase-functions/logger; record them all.
const logged = vi.hoisted(() => [] as string[]);
vi.mock("firebase-functions/logger", async (importOriginal) => {
  const real = await importOriginal<typeof import("firebase-functions/logger")>();
  const record =
    (level: string) =>
    (...args: unknown[]) => {
      logged.push(`${level} ${JSON.stringify(args)}`);
    };
  return {
    ...real,
    debug: record("debug"),
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
  };
});

let env: BillingTestEnv;

beforeAll(async () => {
  env = await startBillingTestEnv();
});
afterAll(() => env?.stop());

/** Stripe secrets and ids that must never leave the server in logs or answers. */
const SECRET_SHAPES = /sk_test_|sk_live_|whsec_|cus_[A-Za-z0-9]|sub_[A-Za-z0-9]|si_[A-Za-z0-9]/;

describe("no Stripe secret or customer id reaches a log line or a client", () => {
  it("through checkout, portal, webhook, processing, failures, seat sync and reconcile", async () => {
    const checkout = env.fft.wrap(createCheckoutSession) as (r: never) => Promise<unknown>;
    const portal = env.fft.wrap(createPortalSession) as (r: never) => Promise<unknown>;
    const answers: unknown[] = [];
    const orgId = await seedOrg(env.db, { owner: "owner", a: "member" });

    const session = (await checkout(callAs("owner", { orgId, planId: "team" }))) as { sessionId: string };
    answers.push(session, await portal(callAs("owner", { orgId })));
    const { subscription, events } = env.fake.control.completeCheckout(session.sessionId);
    await deliverAndApply(env, events);

    // Failures: Stripe down for a callable, for event processing and for seat sync; a forged webhook.
    env.fake.control.failNext({ status: 503, count: 1 });
    answers.push(
      await portal(callAs("owner", { orgId })).catch((e: HttpsError) => [e.code, e.message, e.details]),
    );
    const failing = env.fake.control.failPayment(subscription.id as string);
    for (const event of failing) await deliverEvent(env.webhookUrl, event, { secret: WEBHOOK_SECRET });
    env.fake.control.failNext({ status: 500, count: 1 });
    await applyStripeEvent(failing[0]?.id as string, env.deps).catch(() => undefined);
    await env.db.doc(`orgs/${orgId}/members/b`).set({ role: "member" });
    env.fake.control.failNext({ status: 500, count: 1 });
    await syncSeats(orgId, "k1", env.deps).catch(() => undefined);
    const forged = await deliverEvent(env.webhookUrl, failing[0] as Json, { secret: "whsec_wrong" });
    answers.push(forged);
    await reconcileBilling(env.deps);

    expect(logged.length).toBeGreaterThan(5);
    expect(logged.some((line) => line.includes("billing.event.failed"))).toBe(true);
    for (const line of logged) expect(line).not.toMatch(SECRET_SHAPES);
    for (const answer of answers) expect(JSON.stringify(answer)).not.toMatch(SECRET_SHAPES);
  });
});
