import { onDocumentWritten } from "firebase-functions/firestore";
import { logEvent } from "../lib/logging.js";
import { STRIPE_SECRET_KEY } from "../lib/params.js";
import { REGION } from "../lib/runtime.js";
import { billingRef, countMembers, readBillingRecord } from "./billing-record.js";
import { billingDeps } from "./deps.js";
import { isLive } from "./entitlements.js";
import { getPlan, planForPrice, quantityFor } from "./plans.js";
import type { BillingDeps } from "./sync-subscription.js";

const MAX_ROUNDS = 3;

export type SeatOutcome = "not-per-seat" | "unchanged" | "updated";

/**
 * Sets a per-seat subscription's quantity to the org's current member count. Setting an absolute count
 * makes repeats harmless, and `attemptKey` (the trigger event id, or the reconcile run id) is the Stripe
 * idempotency key, so a retried call is not applied twice. A Stripe failure throws: the trigger retries,
 * and the reconcile job catches whatever is still off.
 */
export async function syncSeats(orgId: string, attemptKey: string, deps: BillingDeps): Promise<SeatOutcome> {
  const record = readBillingRecord(await billingRef(deps.db, orgId).get());
  const planId = planForPrice(record.priceId, deps.config.prices);
  if (!record.subscriptionId || !record.subscriptionItemId || !isLive(record.status) || !planId) {
    return "not-per-seat";
  }
  const plan = getPlan(planId);
  if (plan.pricing !== "per-seat") return "not-per-seat";

  // Re-count after each update: a concurrent run may have set a count that was stale when it read.
  let seats = record.seats;
  let outcome: SeatOutcome = "unchanged";
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const quantity = quantityFor(plan, await countMembers(deps.db, orgId));
    if (quantity === seats) break;
    await deps.stripe.subscriptions.update(
      record.subscriptionId,
      { items: [{ id: record.subscriptionItemId, quantity }], proration_behavior: "create_prorations" },
      { idempotencyKey: `seats-${record.subscriptionId}-${quantity}-${attemptKey}-${round}` },
    );
    await billingRef(deps.db, orgId).update({ seats: quantity });
    logEvent("billing.seats.updated", { orgId, seats: quantity });
    seats = quantity;
    outcome = "updated";
  }
  return outcome;
}

/** Trigger: a membership was added, changed or removed; keep the paid seat count in step. */
export const onMemberWriteSyncSeats = onDocumentWritten(
  {
    document: "orgs/{orgId}/members/{uid}",
    region: REGION,
    retry: true,
    secrets: [STRIPE_SECRET_KEY],
  },
  async (event) => {
    if (event.data?.before.exists && event.data?.after.exists) return;
    await syncSeats(event.params.orgId, event.id, billingDeps());
  },
);
