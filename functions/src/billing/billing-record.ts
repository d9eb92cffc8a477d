import type { BillingStatus } from "@hearth/schema";
import {
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  Timestamp,
} from "firebase-admin/firestore";

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

export function orgRef(db: Firestore, orgId: string): DocumentReference {
  return db.collection("orgs").doc(orgId);
}

export function billingRef(db: Firestore, orgId: string): DocumentReference {
  return orgRef(db, orgId).collection("private").doc("billing");
}

/** Members of the org right now, counted from the membership documents (the source of truth). */
export async function countMembers(db: Firestore, orgId: string): Promise<number> {
  return (await orgRef(db, orgId).collection("members").count().get()).data().count;
}

/** The record in a snapshot, with Timestamps as Dates; a missing document is the empty record. */
export function readBillingRecord(snap: DocumentSnapshot): BillingRecord {
  const data = snap.data() ?? {};
  const record: Record<string, unknown> = { ...EMPTY_BILLING_RECORD };
  for (const key of Object.keys(EMPTY_BILLING_RECORD)) {
    const value = data[key];
    if (value !== undefined) record[key] = value instanceof Timestamp ? value.toDate() : value;
  }
  return record as unknown as BillingRecord;
}
