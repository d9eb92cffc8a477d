import type { BillingStatus, Entitlements, PlanId } from "@hearth/schema";
import { BILLING_STATUSES } from "@hearth/schema";
import { FREE_PLAN_ID, getPlan } from "./plans.js";

/**
 * Pure billing decisions: what a subscription state means for the org (plan, billingStatus,
 * entitlements), which subscription an org follows, and seat arithmetic. No Stripe, no Firestore.
 */

/** Subscription states that grant the paid plan outright. */
const PAYING: ReadonlySet<BillingStatus> = new Set(["trialing", "active"]);

/** States after which a subscription never comes back; the org is free until a new checkout. */
const TERMINAL: ReadonlySet<BillingStatus> = new Set(["none", "canceled", "incomplete_expired"]);

const DAY_MS = 24 * 60 * 60 * 1000;

export interface OrgBilling {
  plan: PlanId;
  billingStatus: BillingStatus;
  entitlements: Entitlements;
  /** Start of the current past_due run (null when not past_due); the grace period counts from here. */
  pastDueSince: Date | null;
}

/** Stripe's status as a BillingStatus; a status this code does not know grants nothing, like `incomplete`. */
export function toBillingStatus(stripeStatus: string): BillingStatus {
  return (BILLING_STATUSES as readonly string[]).includes(stripeStatus) && stripeStatus !== "none"
    ? (stripeStatus as BillingStatus)
    : "incomplete";
}

/** True for states in which the subscription may still bill or recover (not none/canceled/expired). */
export function isLive(status: BillingStatus): boolean {
  return !TERMINAL.has(status);
}

/**
 * What the org gets for a subscription in `status` on `paidPlan` (undefined when its price is not one of
 * Hearth's). past_due keeps the paid plan for `graceDays` from `previousPastDueSince` (or from `now` when the
 * run starts now), then falls back to free; every other non-paying state is free.
 */
export function resolveOrgBilling(input: {
  status: BillingStatus;
  paidPlan: PlanId | undefined;
  previousPastDueSince: Date | null;
  now: Date;
  graceDays: number;
}): OrgBilling {
  const { status, paidPlan, now, graceDays } = input;
  const pastDueSince = status === "past_due" ? (input.previousPastDueSince ?? now) : null;
  const withinGrace = pastDueSince !== null && now.getTime() < pastDueSince.getTime() + graceDays * DAY_MS;
  const entitled = paidPlan !== undefined && (PAYING.has(status) || withinGrace);
  const plan = entitled ? paidPlan : FREE_PLAN_ID;
  return { plan, billingStatus: status, entitlements: getPlan(plan).entitlements, pastDueSince };
}

export interface FollowedSubscription {
  id: string;
  status: BillingStatus;
  /** Stripe's `created` of the subscription. */
  createdAt: Date;
}

/**
 * Which of an org's subscriptions is the one it keeps: the live one Stripe created first (ties by id), so
 * whatever completes second is the duplicate. Liveness only ever ends and `created` never changes, so every
 * reader, in any order, picks the same one. Null when none is live.
 */
export function keptSubscription<T extends FollowedSubscription>(subscriptions: readonly T[]): T | null {
  let kept: T | null = null;
  for (const sub of subscriptions) {
    if (!isLive(sub.status)) continue;
    if (!kept || isOlder(sub, kept)) kept = sub;
  }
  return kept;
}

/** The org's live subscriptions other than the kept one: each is cancelled as a duplicate. */
export function duplicateSubscriptions<T extends FollowedSubscription>(subscriptions: readonly T[]): T[] {
  const kept = keptSubscription(subscriptions);
  return subscriptions.filter((sub) => isLive(sub.status) && sub.id !== kept?.id);
}

function isOlder(a: FollowedSubscription, b: FollowedSubscription): boolean {
  const diff = a.createdAt.getTime() - b.createdAt.getTime();
  return diff < 0 || (diff === 0 && a.id < b.id);
}

/**
 * Whether an org that follows `current` should switch to `incoming`. An org follows one subscription: a
 * dead one never displaces a live one; between two live ones the older wins (the newer is a duplicate
 * that gets cancelled, see keptSubscription); between two dead ones the newer, the last the org had.
 */
export function shouldFollow(current: FollowedSubscription | null, incoming: FollowedSubscription): boolean {
  if (!current || current.id === incoming.id) return true;
  if (!isLive(current.status)) return isLive(incoming.status) || incoming.createdAt >= current.createdAt;
  if (!isLive(incoming.status)) return false;
  return isOlder(incoming, current);
}

/**
 * Seats still free for new invitations: the plan's seats minus members and pending invites. The org
 * engineer's inviteMember refuses an invite when this is 0 (`resource-exhausted`, reason `seat-limit`).
 */
export function seatsRemaining(entitlements: Entitlements, members: number, pendingInvites = 0): number {
  return Math.max(0, entitlements.seats - members - pendingInvites);
}
