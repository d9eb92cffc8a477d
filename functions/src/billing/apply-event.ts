import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { onDocumentCreated } from "firebase-functions/firestore";
import { z } from "zod";
import { validData } from "../db/read.js";
import { refs } from "../db/refs.js";
import { logEvent, logFailure } from "../lib/logging.js";
import { STRIPE_SECRET_KEY } from "../lib/params.js";
import { REGION, STRIPE_EVENT_SCALING } from "../lib/runtime.js";
import { billingDeps } from "./deps.js";
import { isTransientStripeError, stripeErrorLabel } from "./stripe-errors.js";
import { subscriptionIdOf } from "./subscription.js";
import { type BillingDeps, type SyncOutcome, syncSubscription } from "./sync-subscription.js";

/** Events admins should hear about, beyond the plan and status changes every sync audits. */
const AUDITED: Record<string, string> = {
  "customer.subscription.trial_will_end": "billing.trial_will_end",
  "invoice.payment_failed": "billing.payment_failed",
  "invoice.payment_action_required": "billing.payment_action_required",
};

/** The parts of a stored Stripe event that processing reads. */
const StripeEventPayload = z.object({
  type: z.string(),
  created: z.number(),
  data: z.object({ object: z.unknown() }),
});

export type EventOutcome = SyncOutcome | "ignored" | "missing" | "failed" | "unstorable";

/**
 * Processes `stripeEvents/{eventId}`: finds the subscription the event is about and syncs it from Stripe
 * (see syncSubscription), marking the event processed in the same transaction, so a replay is a no-op.
 * A transient Stripe failure is recorded and rethrown so the trigger retries; a permanent one is recorded
 * as failed and left to the reconcile job.
 */
export async function applyStripeEvent(eventId: string, deps: BillingDeps): Promise<EventOutcome> {
  const ref = refs.stripeEvent(deps.db, eventId);
  const stored = validData(await ref.get(), "onStripeEventCreated");
  if (!stored) return "missing";
  if (stored.status === "processed") return "duplicate";
  // Recorded without its payload (too large or too deep to store): nothing to process, left for a person.
  if (stored.outcome === "unstorable" || !stored.event) return "unstorable";
  const parsed = StripeEventPayload.safeParse(stored.event);
  if (!parsed.success) {
    // Verified by its signature, so this is not Stripe's shape: retrying cannot help; left for a person.
    await ref.update({ status: "failed", attempts: FieldValue.increment(1), error: "malformed-event" });
    logFailure("billing.event.failed", "malformed-event", { eventId, transient: false });
    return "failed";
  }
  const event = parsed.data;

  const subscriptionId = subscriptionIdOf(event);
  if (!subscriptionId) {
    await ref.update({
      status: "processed",
      outcome: "ignored",
      attempts: FieldValue.increment(1),
      processedAt: Timestamp.fromDate(deps.clock.now()),
    });
    logEvent("billing.event.ignored", { eventId, type: event.type });
    return "ignored";
  }
  try {
    const outcome = await syncSubscription(deps, subscriptionId, {
      ref,
      created: new Date(event.created * 1000),
      auditAction: AUDITED[event.type],
    });
    logEvent("billing.event.processed", { eventId, type: event.type, outcome });
    return outcome;
  } catch (err) {
    const transient = isTransientStripeError(err);
    const label = stripeErrorLabel(err);
    await ref.update({ status: "failed", attempts: FieldValue.increment(1), error: label });
    logFailure("billing.event.failed", label, { eventId, type: event.type, transient });
    if (transient) throw err;
    return "failed";
  }
}

/** Trigger: a verified webhook delivery was recorded; process it, with platform retries on failure. */
export const onStripeEventCreated = onDocumentCreated(
  {
    document: "stripeEvents/{eventId}",
    region: REGION,
    retry: true,
    secrets: [STRIPE_SECRET_KEY],
    ...STRIPE_EVENT_SCALING,
  },
  async (event) => {
    await applyStripeEvent(event.params.eventId, billingDeps());
  },
);
