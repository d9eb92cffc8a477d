import Stripe from "stripe";
import { logEvent } from "../lib/logging.js";
import { duplicateSubscriptions, isLive, keptSubscription } from "./entitlements.js";
import { DUPLICATE_CANCEL_COMMENT, readSubscription, type SubscriptionState } from "./subscription.js";
import type { BillingDeps } from "./sync-subscription.js";

export interface DuplicateResolution {
  /** The org's kept subscription as Stripe holds it now; null when the org has no live one. */
  kept: SubscriptionState | null;
  /** Subscriptions of the org cancelled as duplicates by this run (or by a concurrent one). */
  canceled: SubscriptionState[];
}

/**
 * Enforces one live subscription per org. Checkout cannot prevent a second one (two admins can complete
 * two sessions at once), so whenever a live subscription is synced, the org's live subscriptions are read
 * from Stripe and every one but the oldest (keptSubscription) is cancelled at once. The cancel uses
 * `prorate` + `invoice_now`: Stripe credits the unused part of what the duplicate charged to the customer's
 * balance, and the customer is the org's only one, so that credit pays the kept subscription's next invoice
 * (a trialing duplicate charged nothing and gets nothing). Repeats are harmless: a subscription that is no
 * longer live is never cancelled again, and one cancelled meanwhile by a concurrent run is read back.
 */
export async function cancelDuplicates(
  deps: BillingDeps,
  state: SubscriptionState,
): Promise<DuplicateResolution> {
  // A duplicate cancelled earlier is read too, so news of it is applied as news of the kept one.
  if (!state.orgId || !(isLive(state.status) || state.canceledAsDuplicate))
    return { kept: null, canceled: [] };
  const orgSubscriptions = new Map<string, SubscriptionState>([[state.id, state]]);
  // Without `status`, Stripe lists every subscription of the customer except cancelled ones.
  for await (const sub of deps.stripe.subscriptions.list({ customer: state.customerId, limit: 100 })) {
    const read = readSubscription(sub);
    if (read.orgId === state.orgId) orgSubscriptions.set(read.id, read);
  }
  const all = [...orgSubscriptions.values()];
  const canceled: SubscriptionState[] = [];
  for (const duplicate of duplicateSubscriptions(all)) {
    canceled.push(await cancelDuplicate(deps, duplicate.id));
    logEvent("billing.duplicate.canceled", { orgId: state.orgId });
  }
  return { kept: keptSubscription(all), canceled };
}

async function cancelDuplicate(deps: BillingDeps, subscriptionId: string): Promise<SubscriptionState> {
  try {
    const sub = await deps.stripe.subscriptions.cancel(subscriptionId, {
      prorate: true,
      invoice_now: true,
      cancellation_details: { comment: DUPLICATE_CANCEL_COMMENT },
    });
    return readSubscription(sub);
  } catch (err) {
    // DELETE takes no idempotency key: a concurrent run may have cancelled it first. Read what Stripe has.
    if (!(err instanceof Stripe.errors.StripeInvalidRequestError)) throw err;
    const now = readSubscription(await deps.stripe.subscriptions.retrieve(subscriptionId));
    if (isLive(now.status)) throw err;
    return now;
  }
}
