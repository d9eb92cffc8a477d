import { createHash } from "node:crypto";
import {
  type DocumentReference,
  FieldValue,
  type Firestore,
  Timestamp,
  type Transaction,
} from "firebase-admin/firestore";
import type Stripe from "stripe";
import { type Doc, refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import type { Deps } from "../lib/deps.js";
import { billingRef, orgRef, readBillingRecord, storedBillingRecord } from "./billing-record.js";
import type { BillingConfig } from "./config.js";
import { cancelDuplicates } from "./duplicates.js";
import { resolveOrgBilling, shouldFollow } from "./entitlements.js";
import { planForPrice } from "./plans.js";
import { readSubscription, type SubscriptionState } from "./subscription.js";

export interface BillingDeps extends Deps {
  stripe: Stripe;
  config: BillingConfig;
}

/** The stripeEvents document a sync is applying, marked processed in the same transaction. */
export interface EventContext {
  ref: DocumentReference<Doc<"stripeEvent">>;
  created: Date;
  /** Audit action recorded for events worth telling admins about (payment failed, trial ending). */
  auditAction?: string;
}

/**
 * What a sync did. `applied`: the org now reflects Stripe; `stale`: a newer read already landed;
 * `not-followed`: the subscription is not the one the org follows; `no-org`: no Hearth org owns it;
 * `duplicate`: the event was already processed.
 */
export type SyncOutcome = "applied" | "stale" | "not-followed" | "no-org" | "duplicate";

/**
 * Reads the subscription's current state from Stripe and writes what it means onto the org (plan,
 * billingStatus, entitlements) and its private billing record. Order-proof: the state comes from Stripe,
 * not from the event, and a read older than the one already stored is dropped. A live subscription also
 * enforces one live subscription per org (cancelDuplicates): the org is written from the kept one, and
 * each duplicate cancelled gets one audit entry (its id is derived from the subscription, so a retry after
 * a crash, or any later event about the cancelled subscription, adds it if missing and never twice).
 */
export async function syncSubscription(
  deps: BillingDeps,
  subscriptionId: string,
  event?: EventContext,
): Promise<SyncOutcome> {
  const readAt = deps.clock.now();
  const state = readSubscription(await deps.stripe.subscriptions.retrieve(subscriptionId));
  const { kept, canceled } = await cancelDuplicates(deps, state);
  const target = kept ?? canceled.find((sub) => sub.id === state.id) ?? state;
  const duplicates = state.canceledAsDuplicate && !canceled.some((c) => c.id === state.id) ? [state] : [];
  duplicates.push(...canceled);

  return deps.db.runTransaction(async (tx) => {
    if (event) {
      if ((await tx.get(event.ref)).data()?.status === "processed") return "duplicate";
    }
    const audits = state.orgId
      ? duplicates.map((d) => duplicateAuditRef(deps.db, state.orgId as string, d.id))
      : [];
    const logged = audits.length > 0 ? await tx.getAll(...audits) : [];
    const outcome = await writeState(tx, deps, target, readAt, event);
    if (outcome !== "no-org" && state.orgId) {
      const keptPlan = kept ? (planForPrice(kept.priceId, deps.config.prices) ?? null) : null;
      duplicates.forEach((duplicate, i) => {
        if (logged[i]?.exists) return;
        writeAudit(
          deps.db,
          tx,
          state.orgId as string,
          {
            actor: "system",
            action: "billing.duplicate_canceled",
            target: "billing",
            before: { plan: planForPrice(duplicate.priceId, deps.config.prices) ?? null },
            after: { keptPlan, canceled: "immediately", unusedTime: "credited to the next invoice" },
          },
          duplicateAuditId(duplicate.id),
        );
      });
    }
    if (event) {
      tx.update(event.ref, {
        status: "processed",
        outcome,
        attempts: FieldValue.increment(1),
        error: null,
        processedAt: Timestamp.fromDate(readAt),
      });
    }
    return outcome;
  });
}

/** One audit entry per cancelled duplicate; the id is a hash so no Stripe id reaches a client. */
const duplicateAuditId = (subscriptionId: string) =>
  `duplicate-subscription-${createHash("sha256").update(subscriptionId).digest("hex").slice(0, 24)}`;

function duplicateAuditRef(db: Firestore, orgId: string, subscriptionId: string) {
  return refs.auditEntry(db, orgId, duplicateAuditId(subscriptionId));
}

/** Writes `state` (read from Stripe at `readAt`) onto the org that owns it, inside `tx`. */
async function writeState(
  tx: Transaction,
  deps: BillingDeps,
  state: SubscriptionState,
  readAt: Date,
  event: EventContext | undefined,
): Promise<SyncOutcome> {
  const { db, config } = deps;
  const orgId = state.orgId;
  if (!orgId) return "no-org";
  const orgDoc = orgRef(db, orgId);
  const [org, billing] = await Promise.all([tx.get(orgDoc), tx.get(billingRef(db, orgId))]);
  const orgData = org.data();
  if (!orgData) return "no-org";
  const record = readBillingRecord(billing);
  const followed = record.subscriptionId
    ? {
        id: record.subscriptionId,
        status: record.status,
        createdAt: record.subscriptionCreatedAt ?? new Date(0),
      }
    : null;
  if (!shouldFollow(followed, { id: state.id, status: state.status, createdAt: state.createdAt })) {
    return "not-followed";
  }
  const sameSubscription = record.subscriptionId === state.id;
  if (sameSubscription && record.syncedAt && record.syncedAt > readAt) return "stale";

  const resolved = resolveOrgBilling({
    status: state.status,
    paidPlan: planForPrice(state.priceId, config.prices),
    previousPastDueSince: sameSubscription ? record.pastDueSince : null,
    now: readAt,
    graceDays: config.graceDays,
  });
  const lastEventAt =
    event && (!record.lastEventAt || event.created > record.lastEventAt) ? event.created : record.lastEventAt;
  tx.set(
    billing.ref,
    storedBillingRecord({
      ...record,
      stripeCustomerId: record.stripeCustomerId ?? state.customerId,
      subscriptionId: state.id,
      subscriptionItemId: state.itemId,
      subscriptionCreatedAt: state.createdAt,
      priceId: state.priceId,
      status: state.status,
      currentPeriodEnd: state.currentPeriodEnd,
      cancelAtPeriodEnd: state.cancelAtPeriodEnd,
      seats: state.quantity,
      pastDueSince: resolved.pastDueSince,
      syncedAt: readAt,
      lastEventAt,
    }),
  );
  const before = { plan: orgData.plan, billingStatus: orgData.billingStatus };
  const after = { plan: resolved.plan, billingStatus: resolved.billingStatus };
  tx.update(orgDoc, { ...after, entitlements: resolved.entitlements });
  if (before.plan !== after.plan || before.billingStatus !== after.billingStatus) {
    writeAudit(db, tx, orgId, {
      actor: "system",
      action: "billing.changed",
      target: "billing",
      before,
      after,
    });
  }
  if (event?.auditAction) {
    writeAudit(db, tx, orgId, { actor: "system", action: event.auditAction, target: "billing", after });
  }
  return "applied";
}
