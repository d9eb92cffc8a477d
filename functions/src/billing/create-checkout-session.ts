import { createHash } from "node:crypto";
import {
  CreateCheckoutSessionInput,
  type CreateCheckoutSessionOutput,
  type PaidPlanId,
} from "@hearth/schema";
import type { CallableRequest } from "firebase-functions/https";
import type Stripe from "stripe";
import { defineCallable } from "../lib/callable.js";
import { AppError } from "../lib/errors.js";
import { requireAuth, requireMember } from "../lib/guards.js";
import { STRIPE_SECRET_KEY } from "../lib/params.js";
import { billingRef, countMembers, readBillingRecord } from "./billing-record.js";
import { ensureCustomer } from "./customer.js";
import { billingDeps } from "./deps.js";
import { isLive } from "./entitlements.js";
import { getPlan, quantityFor } from "./plans.js";
import { fromStripeError } from "./stripe-errors.js";
import type { BillingDeps } from "./sync-subscription.js";

/** Repeated clicks within this window get the same Checkout session back (Stripe idempotency replay). */
const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;

/**
 * Starts a Stripe Checkout for a paid plan. Owners and admins only. The org gets (or reuses) one Stripe
 * customer; per-seat plans are bought for the current member count; the org id rides in the session's
 * and the subscription's metadata so every later event finds its org.
 */
export async function createCheckoutSessionHandler(
  input: CreateCheckoutSessionInput,
  request: Pick<CallableRequest, "auth">,
  deps: BillingDeps,
): Promise<CreateCheckoutSessionOutput> {
  const caller = requireAuth(request);
  const { orgId, planId } = input;
  await requireMember(deps.db, orgId, caller.uid, "admin");

  const record = readBillingRecord(await billingRef(deps.db, orgId).get());
  if (record.subscriptionId && isLive(record.status)) {
    throw new AppError(
      "failed-precondition",
      "This organization already has a subscription; manage it in the billing portal.",
      {
        reason: "already-subscribed",
      },
    );
  }
  const price = priceFor(planId, deps);
  const plan = getPlan(planId);
  const quantity = quantityFor(plan, await countMembers(deps.db, orgId));
  // One trial per org: only an org that never had a subscription gets the plan's trial days.
  const trialDays = record.subscriptionId === null && plan.trialDays > 0 ? plan.trialDays : undefined;
  const returnUrl = `${deps.config.appUrl}/orgs/${encodeURIComponent(orgId)}/billing`;
  const window = Math.floor(deps.clock.now().getTime() / IDEMPOTENCY_WINDOW_MS);

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
    // Same request by the same caller within the window → same key → Stripe replays the first session.
    const fingerprint = createHash("sha256")
      .update(JSON.stringify([params, caller.uid, window]))
      .digest("hex");
    const session = await deps.stripe.checkout.sessions.create(params, {
      idempotencyKey: `checkout-${fingerprint}`,
    });
    if (!session.url) throw new Error("Checkout session without url");
    return { url: session.url, sessionId: session.id };
  } catch (err) {
    throw fromStripeError(err);
  }
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
  CreateCheckoutSessionInput,
  (input, request) => createCheckoutSessionHandler(input, request, billingDeps()),
  { secrets: [STRIPE_SECRET_KEY], replayProtected: true },
);
