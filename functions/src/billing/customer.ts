import { billingRef, orgRef, readBillingRecord, storedBillingRecord } from "./billing-record.js";
import type { BillingDeps } from "./sync-subscription.js";

/**
 * The org's Stripe customer id, created on first use. The idempotency key makes concurrent first calls
 * (even by different admins, hence no caller-specific fields; Checkout collects the billing email) create
 * one customer; the id is kept only in the private billing record.
 */
export async function ensureCustomer(deps: BillingDeps, orgId: string): Promise<string> {
  const ref = billingRef(deps.db, orgId);
  const existing = readBillingRecord(await ref.get()).stripeCustomerId;
  if (existing) return existing;

  const org = (await orgRef(deps.db, orgId).get()).data();
  const customer = await deps.stripe.customers.create(
    { name: org?.name, metadata: { orgId } },
    { idempotencyKey: `customer-${orgId}` },
  );
  return deps.db.runTransaction(async (tx) => {
    const record = readBillingRecord(await tx.get(ref));
    if (record.stripeCustomerId) return record.stripeCustomerId;
    tx.set(ref, storedBillingRecord({ ...record, stripeCustomerId: customer.id }));
    return customer.id;
  });
}
