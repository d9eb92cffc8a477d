import { createHash } from "node:crypto";
import {
  CreateCheckoutSessionInput,
  type CreateCheckoutSessionOutput,
  type PaidPlanId,
} from "@hearth/schema";
import { type DocumentSnapshot, type Firestore, Timestamp } from "firebase-admin/firestore";
import type Stripe from "stripe";
import { type Doc, refs } from "../db/refs.js";
import { defineCallable } from "../lib/callable.js";
import { AppError } from "../lib/errors.js";
import { type Caller, requireMember } from "../lib/guards.js";
import { STRIPE_SECRET_KEY } from "../lib/params.js";
import { billingRef, countMembers, readBillingRecord } from "./billing-record.js";
import { reusableCheckout, type StoredCheckout } from "./checkout-reuse.js";
import { ensureCustomer } from "./customer.js";
import { billingDeps } from "./deps.js";
import { isLive, toBillingStatus } from "./entitlements.js";
import { getPlan, quantityFor } from "./plans.js";
import { fromStripeError } from "./stripe-errors.js";
import type { BillingDeps } from "./sync-subscription.js";

/**
 * Starts a Stripe Checkout for a paid plan. Owners and admins only. The org gets (or reuses) one Stripe
 * customer; per-seat plans are bought for the current member count; the org id rides in the session's
 * and the subscription's metadata so every later event finds its org. The same caller asking again for
 * the same thing within ten minutes of the session's creation gets that session back while it is open
 * (checkout-reuse.ts); a session already completed means the org is subscribed.
 */
export async function createCheckoutSessionHandler(
  deps: BillingDeps,
  caller: Caller,
  input: CreateCheckoutSessionInput,
): Promise<CreateCheckoutSessionOutput> {
  const { orgId, planId } = input;
  await requireMember(deps.db, orgId, caller.uid, "admin");

  const record = readBillingRecord(await billingRef(deps.db, orgId).get());
  if (record.subscriptionId && isLive(record.status)) throw alreadySubscribed();
  const price = priceFor(planId, deps);
  const plan = getPlan(planId);
  const quantity = quantityFor(plan, await countMembers(deps.db, orgId));
  // One trial per org: only an org that never had a subscription gets the plan's trial days.
  const trialDays = record.subscriptionId === null && plan.trialDays > 0 ? plan.trialDays : undefined;
  const returnUrl = `${deps.config.appUrl}/orgs/${encodeURIComponent(orgId)}/billing`;
  const now = deps.clock.now();
  const slot = checkoutSlotRef(deps.db, orgId, caller.uid, planId);

  try {
    const customer = await ensureCustomer(deps, orgId);
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: "subscription",
      customer,
      client_reference_id: orgId,
      line_items: [{ price, quantity }],
      metadata: { orgId, planId },
      subscription_data: { metadata: { orgId, planId }, trial_period_days: trialDays },
      success_url: `${returnUrl}?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${returnUrl}?checkout=canceled`,
    };
    const fingerprint = sha256(JSON.stringify(params));
    const stored = readStoredCheckout(await slot.get());
    const reuse = reusableCheckout(stored, fingerprint, now);
    if (reuse) {
      const session = await deps.stripe.checkout.sessions.retrieve(reuse);
      if (await subscribedThrough(deps, session)) throw alreadySubscribed();
      if (session.status === "open" && session.url) return { url: session.url, sessionId: session.id };
    }
    // Keyed on what the slot held: requests racing on the same slot create one session (Stripe replays
    // it to the others), and each new session after that one gets a new key.
    const idempotencyKey = `checkout-${sha256(JSON.stringify([fingerprint, caller.uid, stored?.sessionId ?? null]))}`;
    const session = await deps.stripe.checkout.sessions.create(params, { idempotencyKey });
    // A replay of a session whose slot write was lost may have been completed since.
    if (await subscribedThrough(deps, session)) throw alreadySubscribed();
    if (!session.url) throw new Error("Checkout session without url");
    await slot.set({ sessionId: session.id, createdAt: Timestamp.fromDate(now), fingerprint });
    return { url: session.url, sessionId: session.id };
  } catch (err) {
    throw fromStripeError(err);
  }
}

function alreadySubscribed(): AppError {
  return new AppError(
    "failed-precondition",
    "This organization already has a subscription; manage it in the billing portal.",
    { reason: "already-subscribed" },
  );
}

/**
 * Whether a completed session's subscription is still live: its events may not be processed yet, and a
 * second checkout would only make a duplicate. A session whose subscription ended (say an unpaid first
 * invoice expired) does not stop a new one.
 */
async function subscribedThrough(deps: BillingDeps, session: Stripe.Checkout.Session): Promise<boolean> {
  if (session.status !== "complete" || !session.subscription) return false;
  const id = typeof session.subscription === "string" ? session.subscription : session.subscription.id;
  return isLive(toBillingStatus((await deps.stripe.subscriptions.retrieve(id)).status));
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The caller's last Checkout session for the plan: `orgs/{orgId}/private/billing/checkoutSessions/…`. */
function checkoutSlotRef(db: Firestore, orgId: string, uid: string, planId: PaidPlanId) {
  return refs.checkoutSession(db, orgId, `${planId}-${sha256(uid).slice(0, 32)}`);
}

function readStoredCheckout(snap: DocumentSnapshot<Doc<"checkoutSession">>): StoredCheckout | null {
  const stored = snap.data();
  return stored ? { ...stored, createdAt: stored.createdAt.toDate() } : null;
}

function priceFor(planId: PaidPlanId, deps: BillingDeps): string {
  const price = deps.config.prices[planId];
  if (!price) {
    throw new AppError("failed-precondition", "This plan is not available for purchase.", {
      reason: "plan-unavailable",
    });
  }
  return price;
}

export const createCheckoutSession = defineCallable(
  "createCheckoutSession",
  { input: CreateCheckoutSessionInput, deps: billingDeps, handler: createCheckoutSessionHandler },
  { secrets: [STRIPE_SECRET_KEY], replayProtected: true },
);
