import { onDocumentUpdated } from "firebase-functions/firestore";
import { eventData } from "../db/read.js";
import { converters } from "../db/refs.js";
import { logEvent } from "../lib/logging.js";
import { STRIPE_SECRET_KEY } from "../lib/params.js";
import { REGION } from "../lib/runtime.js";
import { billingRef, readBillingRecord } from "./billing-record.js";
import { billingDeps } from "./deps.js";
import { isLive } from "./entitlements.js";
import type { BillingDeps } from "./sync-subscription.js";

export type CancelOutcome = "no-subscription" | "already-canceling" | "canceling";

/**
 * Stops billing a soft-deleted org: its subscription is set to cancel at the end of the period already
 * paid for, so the customer is not charged again while the org waits to be purged. The customer.subscription
 * events that follow update the record as usual.
 */
export async function cancelDeletedOrgSubscription(orgId: string, deps: BillingDeps): Promise<CancelOutcome> {
  const record = readBillingRecord(await billingRef(deps.db, orgId).get());
  if (!record.subscriptionId || !isLive(record.status)) return "no-subscription";
  if (record.cancelAtPeriodEnd) return "already-canceling";
  await deps.stripe.subscriptions.update(
    record.subscriptionId,
    { cancel_at_period_end: true },
    { idempotencyKey: `org-deleted-${record.subscriptionId}` },
  );
  await billingRef(deps.db, orgId).update({ cancelAtPeriodEnd: true });
  logEvent("billing.deleted_org.canceling", { orgId });
  return "canceling";
}

const SOURCE = "onOrgDeletedCancelSubscription";

/**
 * Trigger: an org was soft-deleted (deletedAt went from null to a time). An org document that fits no
 * schema is logged (`document.invalid`) and left for a person, like the reconcile job leaves it.
 */
export const onOrgDeletedCancelSubscription = onDocumentUpdated(
  { document: "orgs/{orgId}", region: REGION, retry: true, secrets: [STRIPE_SECRET_KEY] },
  async (event) => {
    const before = eventData(event.data?.before, converters.org, SOURCE);
    const after = eventData(event.data?.after, converters.org, SOURCE);
    if (!before || !after || before.deletedAt != null || after.deletedAt == null) return;
    await cancelDeletedOrgSubscription(event.params.orgId, billingDeps());
  },
);
