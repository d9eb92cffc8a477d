import type { BillingStatus } from "@hearth/schema";
import {
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  Timestamp,
} from "firebase-admin/firestore";
import { type Doc, refs } from "../db/refs.js";

/**
 * `orgs/{orgId}/private/billing` as billing code reads it: PrivateBillingDoc (schema/documents) plus the
 * bookkeeping the sync needs. No client can read it: it holds the Stripe customer id.
 */
export interface BillingRecord {
  stripeCustomerId: string | null;
  subscriptionId: string | null;
  subscriptionItemId: string | null;
  /** Stripe's `created` of the followed subscription; decides between two subscriptions of one org. */
  subscriptionCreatedAt: Date | null;
  priceId: string | null;
  status: BillingStatus;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** Quantity on the subscription: members for per-seat plans, 1 for flat plans. */
  seats: number;
  /** Start of the current past_due run; the grace period counts from here. */
  pastDueSince: Date | null;
  /** When the state above was read from Stripe; an older read never overwrites a newer one. */
  syncedAt: Date | null;
  /** Stripe's `created` of the newest event applied. */
  lastEventAt: Date | null;
}

const EMPTY_BILLING_RECORD: BillingRecord = {
  stripeCustomerId: null,
  subscriptionId: null,
  subscriptionItemId: null,
  subscriptionCreatedAt: null,
  priceId: null,
  status: "none",
  currentPeriodEnd: null,
  cancelAtPeriodEnd: false,
  seats: 0,
  pastDueSince: null,
  syncedAt: null,
  lastEventAt: null,
};

export function orgRef(db: Firestore, orgId: string): DocumentReference<Doc<"org">> {
  return refs.org(db, orgId);
}

export function billingRef(db: Firestore, orgId: string): DocumentReference<Doc<"privateBilling">> {
  return refs.privateBilling(db, orgId);
}

/** Members of the org right now, counted from the membership documents (the source of truth). */
export async function countMembers(db: Firestore, orgId: string): Promise<number> {
  return (await refs.members(db, orgId).count().get()).data().count;
}

const toDate = (t: Timestamp | null | undefined) => t?.toDate() ?? null;
const toTimestamp = (d: Date | null) => (d ? Timestamp.fromDate(d) : null);

/** The record in a snapshot, with Timestamps as Dates; a missing document is the empty record. */
export function readBillingRecord(snap: DocumentSnapshot<Doc<"privateBilling">>): BillingRecord {
  const data = snap.data();
  if (!data) return EMPTY_BILLING_RECORD;
  return {
    stripeCustomerId: data.stripeCustomerId,
    subscriptionId: data.subscriptionId,
    subscriptionItemId: data.subscriptionItemId ?? null,
    subscriptionCreatedAt: toDate(data.subscriptionCreatedAt),
    priceId: data.priceId,
    status: data.status,
    currentPeriodEnd: toDate(data.currentPeriodEnd),
    cancelAtPeriodEnd: data.cancelAtPeriodEnd,
    seats: data.seats,
    pastDueSince: toDate(data.pastDueSince),
    syncedAt: toDate(data.syncedAt),
    lastEventAt: toDate(data.lastEventAt),
  };
}

/** The record as stored, once it has a Stripe customer (a record is never written without one). */
export function storedBillingRecord(
  record: BillingRecord & { stripeCustomerId: string },
): Doc<"privateBilling"> {
  return {
    ...record,
    subscriptionCreatedAt: toTimestamp(record.subscriptionCreatedAt),
    currentPeriodEnd: toTimestamp(record.currentPeriodEnd),
    pastDueSince: toTimestamp(record.pastDueSince),
    syncedAt: toTimestamp(record.syncedAt),
    lastEventAt: toTimestamp(record.lastEventAt),
  };
}
