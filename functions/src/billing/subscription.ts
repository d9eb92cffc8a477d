import type { BillingStatus } from "@hearth/schema";
import type Stripe from "stripe";
import { toBillingStatus } from "./entitlements.js";

/**
 * `cancellation_details.comment` Hearth sets when it cancels an org's second live subscription, so any
 * later read of that subscription shows why it ended (and the audit entry can be written after a crash).
 */
export const DUPLICATE_CANCEL_COMMENT = "hearth: duplicate subscription for an org that already has one";

/** The parts of a Stripe subscription Hearth keeps, read the same way wherever a subscription arrives. */
export interface SubscriptionState {
  id: string;
  orgId: string | null;
  customerId: string;
  status: BillingStatus;
  priceId: string | null;
  itemId: string | null;
  quantity: number;
  createdAt: Date;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** Hearth cancelled it because the org already had an older live subscription. */
  canceledAsDuplicate: boolean;
}

const fromUnix = (seconds: number) => new Date(seconds * 1000);

export function readSubscription(sub: Stripe.Subscription): SubscriptionState {
  const item = sub.items.data[0];
  const customer = typeof sub.customer === "string" ? sub.customer : sub.customer.id;
  return {
    id: sub.id,
    orgId: sub.metadata?.orgId || null,
    customerId: customer,
    status: toBillingStatus(sub.status),
    priceId: item?.price.id ?? null,
    itemId: item?.id ?? null,
    quantity: item?.quantity ?? 1,
    createdAt: fromUnix(sub.created),
    // Since API 2025-03-31 the period lives on the items.
    currentPeriodEnd: item?.current_period_end ? fromUnix(item.current_period_end) : null,
    // Newer API versions may express "cancel at period end" as a `cancel_at` date instead of the flag.
    cancelAtPeriodEnd: sub.cancel_at_period_end || sub.cancel_at != null,
    canceledAsDuplicate: sub.cancellation_details?.comment === DUPLICATE_CANCEL_COMMENT,
  };
}

/** The subscription an event is about, or null for events that concern none. */
export function subscriptionIdOf(event: { type: string; data: { object: unknown } }): string | null {
  const object = event.data.object as Record<string, unknown>;
  const id = (value: unknown) =>
    typeof value === "string" ? value : ((value as { id?: string } | null)?.id ?? null);
  if (event.type.startsWith("customer.subscription.")) return id(object.id);
  if (event.type === "checkout.session.completed") {
    return object.mode === "subscription" ? id(object.subscription) : null;
  }
  if (event.type.startsWith("invoice.")) {
    const parent = object.parent as { subscription_details?: { subscription?: unknown } } | null | undefined;
    return id(parent?.subscription_details?.subscription ?? object.subscription);
  }
  return null;
}
