import { z } from "zod";
import { FirestoreTimestamp } from "./timestamp.js";

export const STRIPE_EVENT_STATUSES = ["pending", "processed", "failed"] as const;
export const StripeEventStatus = z.enum(STRIPE_EVENT_STATUSES);
export type StripeEventStatus = z.infer<typeof StripeEventStatus>;

/** `stripeEvents/{eventId}`: one verified webhook delivery, recorded once; server only. */
export const StripeEventDoc = z.object({
  type: z.string().min(1),
  /** The raw Stripe event as received; null when Firestore cannot store it (outcome "unstorable"). */
  event: z.record(z.string(), z.unknown()).nullable(),
  status: StripeEventStatus,
  /** How processing ended (e.g. "ignored", "applied"); null until processed. */
  outcome: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  error: z.string().nullable(),
  /** When Stripe created the event, for ordering. */
  created: FirestoreTimestamp,
  receivedAt: FirestoreTimestamp,
  processedAt: FirestoreTimestamp.nullable(),
  /** TTL field: the record, payload included, is deleted after the retention (stripe-webhook.ts). */
  expiresAt: FirestoreTimestamp,
  /** Bytes of the delivery, kept when the event itself could not be (error "too-large" or "too-deep"). */
  size: z.number().int().nonnegative().optional(),
});
export type StripeEventDoc = z.infer<typeof StripeEventDoc>;
