import { randomBytes } from "node:crypto";
import type { Role } from "@hearth/schema";
import firebaseFunctionsTest from "firebase-functions-test";
import type Stripe from "stripe";
import type { BillingConfig } from "../../../functions/src/billing/config.js";
import { PLANS } from "../../../functions/src/billing/plans.js";
import { createStripeClient } from "../../../functions/src/billing/stripe-client.js";
import type { BillingDeps } from "../../../functions/src/billing/sync-subscription.js";
import type { Clock } from "../../../functions/src/lib/clock.js";
import type { db as adminDb } from "../../../functions/src/lib/firestore.js";
import {
  deliverEvent,
  type FakeStripe,
  type FirstPayment,
  type Json,
  startFakeStripe,
} from "../../fakes/stripe/index.js";
import { startTestEmulator } from "../../support/emulator.js";
import { type HttpFunction, serveFunctions } from "../../support/http-functions.js";

/**
 * One Hearth emulator, one fake Stripe and firebase-functions-test per test file, with the billing params
 * and secrets set as environment variables before any functions code runs (lib/firestore.ts and the
 * params read them lazily). The webhook runs as the deployed `stripeWebhook` function on a local HTTP
 * server that hands it the raw body, as Cloud Functions does.
 */
type Firestore = ReturnType<typeof adminDb>;

export const WEBHOOK_SECRET = "whsec_test_hearth_billing";
export const PRICES = { pro: "price_test_pro", team: "price_test_team" } as const;
export const GRACE_DAYS = 7;
export const APP_URL = "http://app.test";

/** A clock tests move by hand; starts at the real time so webhook signatures stay fresh. */
export class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advanceDays(days: number): void {
    this.advanceMs(days * 24 * 60 * 60 * 1000);
  }
  advanceMs(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface BillingTestEnv {
  db: Firestore;
  fake: FakeStripe;
  stripe: Stripe;
  fft: ReturnType<typeof firebaseFunctionsTest>;
  clock: TestClock;
  deps: BillingDeps;
  /** URL of the running stripeWebhook function. */
  webhookUrl: string;
  emulator: { host: string; port: number; projectId: string };
  stop(): Promise<void>;
}

export async function startBillingTestEnv(opts: { rules?: string } = {}): Promise<BillingTestEnv> {
  const emulator = await startTestEmulator(opts.rules !== undefined ? { rules: opts.rules } : {});
  const fake = await startFakeStripe({ prices: Object.values(PRICES) });
  Object.assign(process.env, {
    FIRESTORE_EMULATOR_HOST: `${emulator.host}:${emulator.port}`,
    GCLOUD_PROJECT: emulator.projectId,
    STRIPE_SECRET_KEY: "sk_test_hearth_billing",
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: fake.url,
    STRIPE_PRICE_PRO: PRICES.pro,
    STRIPE_PRICE_TEAM: PRICES.team,
    PAST_DUE_GRACE_DAYS: String(GRACE_DAYS),
    APP_URL,
  });
  const fft = firebaseFunctionsTest({ projectId: emulator.projectId });
  const { db } = await import("../../../functions/src/lib/firestore.js");
  const { stripeWebhook } = await import("../../../functions/src/billing/stripe-webhook.js");
  const served = await serveFunctions({ stripeWebhook: stripeWebhook as unknown as HttpFunction });
  const stripe = createStripeClient("sk_test_hearth_billing", fake.url);
  const clock = new TestClock();
  const config: BillingConfig = { prices: { ...PRICES }, graceDays: GRACE_DAYS, appUrl: APP_URL };
  return {
    db: db(),
    fake,
    stripe,
    fft,
    clock,
    deps: { db: db(), stripe, clock, config },
    webhookUrl: served.url("stripeWebhook"),
    emulator,
    stop: async () => {
      fft.cleanup();
      await served.close();
      await fake.stop();
      await emulator.stop();
    },
  };
}

export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

/** A live org on the free plan with the given members (uid → role); returns its id. */
export async function seedOrg(
  db: Firestore,
  members: Record<string, Role> = { owner: "owner" },
): Promise<string> {
  const orgId = newId("org");
  const batch = db.batch();
  batch.set(db.doc(`orgs/${orgId}`), {
    name: "Test org",
    settings: {},
    ownerUid: Object.keys(members).find((uid) => members[uid] === "owner") ?? "owner",
    plan: "free",
    entitlements: PLANS.free.entitlements,
    billingStatus: "none",
    memberCount: Object.keys(members).length,
    pendingInvites: 0,
    createdAt: new Date(),
    deletedAt: null,
  });
  for (const [uid, role] of Object.entries(members)) {
    batch.set(db.doc(`orgs/${orgId}/members/${uid}`), {
      uid,
      role,
      email: `${uid}@example.com`,
      displayName: null,
      joinedAt: new Date(),
      invitedBy: null,
    });
  }
  await batch.commit();
  return orgId;
}

/** The callable request firebase-functions-test hands to the function. */
export function callAs(uid: string | null, data: unknown) {
  const auth = uid ? { uid, token: { uid, email: `${uid}@example.com`, email_verified: true } } : undefined;
  return { data, auth } as never;
}

/** The fields frontends read from the org document. */
export async function orgBilling(db: Firestore, orgId: string) {
  const org = await db.doc(`orgs/${orgId}`).get();
  return {
    plan: org.get("plan"),
    billingStatus: org.get("billingStatus"),
    seats: org.get("entitlements.seats"),
  };
}

/**
 * Delivers events to the webhook (signed, as Stripe does) and then runs the stripeEvents trigger's
 * handler for each, in delivery order, as the platform would after each recording.
 */
export async function deliverAndApply(env: BillingTestEnv, events: readonly Json[]): Promise<string[]> {
  const { applyStripeEvent } = await import("../../../functions/src/billing/apply-event.js");
  const outcomes: string[] = [];
  for (const event of events) {
    const res = await deliverEvent(env.webhookUrl, event, { secret: WEBHOOK_SECRET });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${res.body}`);
    outcomes.push(await applyStripeEvent(event.id as string, env.deps));
  }
  return outcomes;
}

/**
 * Buys `planId` for the org through the createCheckoutSession handler and completes it in the fake; without
 * a trial, `payment` says how the first payment goes (see the fake's completeCheckout).
 */
export async function subscribe(
  env: BillingTestEnv,
  orgId: string,
  planId: "pro" | "team",
  uid = "owner",
  payment: FirstPayment = "succeeds",
) {
  const { createCheckoutSessionHandler } = await import(
    "../../../functions/src/billing/create-checkout-session.js"
  );
  const { sessionId } = await createCheckoutSessionHandler(
    env.deps,
    { uid, email: `${uid}@example.com`, emailVerified: true },
    { orgId, planId },
  );
  const { subscription, events } = env.fake.control.completeCheckout(sessionId, { payment });
  return { subscriptionId: subscription.id as string, events };
}

/** The org's private billing record (server only). */
export async function billingRecord(db: Firestore, orgId: string) {
  return (await db.doc(`orgs/${orgId}/private/billing`).get()).data() ?? {};
}

/**
 * The billing record an earlier, cancelled subscription left (with its Stripe customer), so the org's next
 * Checkout gets no trial.
 */
export async function seedCancelledSubscription(env: BillingTestEnv, orgId: string, subscriptionId: string) {
  const customer = await env.stripe.customers.create({ metadata: { orgId } });
  await env.db.doc(`orgs/${orgId}/private/billing`).set({
    stripeCustomerId: customer.id,
    subscriptionId,
    priceId: null,
    status: "canceled",
    currentPeriodEnd: null,
    cancelAtPeriodEnd: false,
    seats: 0,
    lastEventAt: null,
  });
}
