import { z } from "zod";
import { FirestoreTimestamp } from "./timestamp.js";

/**
 * `orgs/{orgId}/private/billing/checkoutSessions/{planId}-{uid hash}`: one caller's last Checkout session
 * for a plan, so asking again soon reuses it (functions/src/billing/checkout-reuse.ts); server only.
 */
export const CheckoutSessionDoc = z.object({
  sessionId: z.string().min(1),
  createdAt: FirestoreTimestamp,
  /** Hash of the session's parameters: a session is reused only for the same request. */
  fingerprint: z.string().min(1),
});
export type CheckoutSessionDoc = z.infer<typeof CheckoutSessionDoc>;
