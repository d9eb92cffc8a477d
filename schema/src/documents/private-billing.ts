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
});
export type PrivateBillingDoc = z.infer<typeof PrivateBillingDoc>;
