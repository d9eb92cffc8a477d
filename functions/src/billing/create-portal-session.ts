import { CreatePortalSessionInput, type CreatePortalSessionOutput } from "@hearth/schema";
import { defineCallable } from "../lib/callable.js";
import { AppError } from "../lib/errors.js";
import { type Caller, requireMember } from "../lib/guards.js";
import { STRIPE_SECRET_KEY } from "../lib/params.js";
import { billingRef, readBillingRecord } from "./billing-record.js";
import { billingDeps } from "./deps.js";
import { fromStripeError } from "./stripe-errors.js";
import type { BillingDeps } from "./sync-subscription.js";

/** Opens the Stripe Billing Portal for an org that has a Stripe customer. Owners and admins only. */
export async function createPortalSessionHandler(
  deps: BillingDeps,
  caller: Caller,
  input: CreatePortalSessionInput,
): Promise<CreatePortalSessionOutput> {
  await requireMember(deps.db, input.orgId, caller.uid, "admin");
  const customer = readBillingRecord(await billingRef(deps.db, input.orgId).get()).stripeCustomerId;
  if (!customer) {
    throw new AppError(
      "failed-precondition",
      "This organization has no billing account yet; choose a plan first.",
      {
        reason: "no-billing-account",
      },
    );
  }
  try {
    const session = await deps.stripe.billingPortal.sessions.create({
      customer,
      return_url: `${deps.config.appUrl}/orgs/${encodeURIComponent(input.orgId)}/billing`,
    });
    return { url: session.url };
  } catch (err) {
    throw fromStripeError(err);
  }
}

export const createPortalSession = defineCallable(
  "createPortalSession",
  { input: CreatePortalSessionInput, deps: billingDeps, handler: createPortalSessionHandler },
  { secrets: [STRIPE_SECRET_KEY], replayProtected: true },
);
