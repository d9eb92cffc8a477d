import { billingRef, EMPTY_BILLING_RECORD, orgRef, readBillingRecord } from "./billing-record.js";
import type { BillingDeps } from "./sync-subscription.js";

/**
 * The org's Stripe customer id, created on first use. The idempotency key makes concurrent first calls
 * create one customer; the id is kept only in the private billing record.
 */
export async function ensureCustomer(
  deps: BillingDeps,
  orgId: string,
  email: string | null,
): Promise<string> {
  const ref = billingRef(deps.db, orgId);
  const existing = readBillingRecord(await ref.get()).stripeCustomerId;
  if (existing) return existing;

  const org = await orgRef(deps.db, orgId).get();
  const customer = await deps.stripe.customers.create(
    { name: org.get("name"), email: email ?? undefined, metadata: { orgId } },
    { idempotencyKey: `customer-${orgId}` },
  );
  return deps.db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const record = readBillingRecord(snap);
    if (record.stripeCustomerId) return record.stripeCustomerId;
    tx.set(ref, { ...(snap.exists ? record : EMPTY_BILLING_RECORD), stripeCustomerId: customer.id });
    return customer.id;
  });
}
