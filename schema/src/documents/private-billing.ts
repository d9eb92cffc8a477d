import { z } from "zod";
import { BillingStatus } from "../entitlements.js";
import { FirestoreTimestamp } from "./timestamp.js";

/**
 * `orgs/{orgId}/private/billing`: the org's Stripe link. Nobody reads it from a client; the frontend sees
 * only `plan`, `billingStatus` and `entitlements` on the org document.
 */
export const PrivateBillingDoc = z.object({
  stripeCustomerId: z.string().min(1),
  subscriptionId: z.string().nullable(),
  priceId: z.string().nullable(),
  status: BillingStatus,
  currentPeriodEnd: FirestoreTimestamp.nullable(),
  cancelAtPeriodEnd: z.boolean(),
  seats: z.number().int().nonnegative(),
  /** Time of the newest Stripe event applied, so late or replayed events never overwrite newer state. */
  lastEventAt: FirestoreTimestamp.nullable(),
  /** The subscription's item, whose quantity seat syncs change. */
  subscriptionItemId: z.string().nullable().optional(),
  /** Stripe's `created` of the followed subscription; decides between two subscriptions of one org. */
  subscriptionCreatedAt: FirestoreTimestamp.nullable().optional(),
  /** Start of the current past_due run; the grace period counts from here. */
  pastDueSince: FirestoreTimestamp.nullable().optional(),
  /** When the state was read from Stripe; an older read never overwrites a newer one. */
  syncedAt: FirestoreTimestamp.nullable().optional(),
});
export type PrivateBillingDoc = z.infer<typeof PrivateBillingDoc>;
