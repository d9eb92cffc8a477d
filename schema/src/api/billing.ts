import { z } from "zod";
import { BillingStatus, PlanId } from "../entitlements.js";

/** A Firestore document id sent by a client: non-empty, no slash, not "." or "..". */
const OrgId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^/]+$/, "must not contain '/'")
  .refine((id) => id !== "." && id !== "..", "is not a valid id");

/** Plans a checkout can buy: every plan but free, which needs no Stripe objects. */
export const PaidPlanId = PlanId.exclude(["free"]);
export type PaidPlanId = z.infer<typeof PaidPlanId>;

export const CreateCheckoutSessionInput = z.strictObject({ orgId: OrgId, planId: PaidPlanId });
export type CreateCheckoutSessionInput = z.infer<typeof CreateCheckoutSessionInput>;
export const CreateCheckoutSessionOutput = z.object({ url: z.url(), sessionId: z.string() });
export type CreateCheckoutSessionOutput = z.infer<typeof CreateCheckoutSessionOutput>;

export const CreatePortalSessionInput = z.strictObject({ orgId: OrgId });
export type CreatePortalSessionInput = z.infer<typeof CreatePortalSessionInput>;
export const CreatePortalSessionOutput = z.object({ url: z.url() });
export type CreatePortalSessionOutput = z.infer<typeof CreatePortalSessionOutput>;

/**
 * `orgs/{orgId}/private/billing`: the org's link to Stripe. Server only; no client may read it, because
 * it holds the Stripe customer id.
 */
export const BillingRecord = z.object({
  stripeCustomerId: z.string().nullable(),
  subscriptionId: z.string().nullable(),
  subscriptionItemId: z.string().nullable(),
  priceId: z.string().nullable(),
  status: BillingStatus,
  currentPeriodEnd: z.date().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  /** Quantity last set on the subscription (per-seat plans); 1 for flat plans. */
  seats: z.number().int().nonnegative(),
  /** When the subscription first became past_due in its current run; starts the grace period. */
  pastDueSince: z.date().nullable(),
  /** When the state above was read from Stripe; an older read never overwrites a newer one. */
  syncedAt: z.date().nullable(),
  /** Creation time (Stripe's `created`) of the last event applied. */
  lastEventAt: z.date().nullable(),
});
export type BillingRecord = z.infer<typeof BillingRecord>;

export const STRIPE_EVENT_STATUSES = ["pending", "processed", "ignored", "failed", "abandoned"] as const;
export const StripeEventStatus = z.enum(STRIPE_EVENT_STATUSES);
export type StripeEventStatus = z.infer<typeof StripeEventStatus>;

/** `stripeEvents/{eventId}`: one verified webhook delivery, recorded once and processed by a trigger. */
export const StripeEventRecord = z.object({
  type: z.string(),
  /** Stripe's `created`, as a date. */
  created: z.date(),
  /** The verified raw body, kept as text so any Stripe object shape fits. */
  payload: z.string(),
  status: StripeEventStatus,
  attempts: z.number().int().nonnegative(),
  /** Error class and Stripe code of the last failure; never a message, which may quote ids. */
  error: z.string().nullable(),
  receivedAt: z.date(),
  processedAt: z.date().nullable(),
});
export type StripeEventRecord = z.infer<typeof StripeEventRecord>;
