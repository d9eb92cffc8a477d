import { FieldPath, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { onSchedule } from "firebase-functions/scheduler";
import { applyStripeEvent } from "../billing/apply-event.js";
import { cancelDeletedOrgSubscription } from "../billing/cancel-deleted-org.js";
import { billingDeps } from "../billing/deps.js";
import { stripeErrorLabel } from "../billing/stripe-errors.js";
import { syncSeats } from "../billing/sync-seats.js";
import { type BillingDeps, syncSubscription } from "../billing/sync-subscription.js";
import type { JobHandler, JobResult } from "../lib/job-run.js";
import { runJob } from "../lib/job-run.js";
import { logFailure } from "../lib/logging.js";
import { STRIPE_SECRET_KEY } from "../lib/params.js";
import { REGION } from "../lib/runtime.js";

/** Billing states worth re-reading from Stripe: everything that can still change or bill. */
const RECONCILED_STATUSES = ["trialing", "active", "past_due", "unpaid", "paused", "incomplete"];

/** A failed event is retried this many times in all before it is left for a person to look at. */
export const MAX_EVENT_ATTEMPTS = 8;

/** A pending event older than this was missed by its trigger and is processed here. */
const STUCK_PENDING_MS = 10 * 60 * 1000;

const PAGE_SIZE = 200;

/**
 * Reconciles every paid org with Stripe (state, grace-period downgrades, seat counts, no renewal for
 * deleted orgs) and retries failed or stuck webhook events. Idempotent: a run changes nothing when Hearth and Stripe agree.
 */
export async function reconcileBilling(deps: BillingDeps, pageSize = PAGE_SIZE): Promise<JobResult> {
  // Unique per run, so a seat count set again later is not swallowed by Stripe's idempotency replay.
  const runKey = `reconcile-${deps.clock.now().getTime()}`;
  const result = {
    orgsChecked: 0,
    orgsFailed: 0,
    seatsUpdated: 0,
    deletedOrgsCanceled: 0,
    eventsRetried: 0,
    eventsFailed: 0,
  };
  for await (const org of paidOrgs(deps.db, pageSize)) {
    result.orgsChecked++;
    try {
      const subscriptionId = (await org.ref.collection("private").doc("billing").get()).get("subscriptionId");
      if (typeof subscriptionId === "string") await syncSubscription(deps, subscriptionId);
      if (org.get("deletedAt") != null) {
        if ((await cancelDeletedOrgSubscription(org.id, deps)) === "canceling") result.deletedOrgsCanceled++;
      } else if ((await syncSeats(org.id, runKey, deps)) === "updated") {
        result.seatsUpdated++;
      }
    } catch (err) {
      result.orgsFailed++;
      logFailure("billing.reconcile.org_failed", stripeErrorLabel(err), { orgId: org.id });
    }
  }

  const now = deps.clock.now().getTime();
  const [failed, pending] = await Promise.all(
    ["failed", "pending"].map((status) =>
      deps.db.collection("stripeEvents").where("status", "==", status).limit(PAGE_SIZE).get(),
    ),
  );
  const due = [
    ...(failed?.docs ?? []).filter(
      (doc) => (doc.get("attempts") ?? 0) < MAX_EVENT_ATTEMPTS && doc.get("outcome") !== "unstorable",
    ),
    ...(pending?.docs ?? []).filter(
      (doc) => now - (doc.get("receivedAt")?.toDate().getTime() ?? 0) > STUCK_PENDING_MS,
    ),
  ];
  for (const doc of due) {
    result.eventsRetried++;
    const outcome = await applyStripeEvent(doc.id, deps).catch(() => "failed" as const);
    if (outcome === "failed") result.eventsFailed++;
  }
  return result;
}

/** Every org with a live subscription, page by page in id order. */
async function* paidOrgs(db: Firestore, pageSize: number): AsyncGenerator<QueryDocumentSnapshot> {
  let last: QueryDocumentSnapshot | undefined;
  for (;;) {
    let query = db
      .collection("orgs")
      .where("billingStatus", "in", RECONCILED_STATUSES)
      .orderBy(FieldPath.documentId())
      .limit(pageSize);
    if (last) query = query.startAfter(last);
    const page = await query.get();
    yield* page.docs;
    if (page.size < pageSize) return;
    last = page.docs[page.size - 1];
  }
}

/** The job as its schedule runs it: Stripe and billing config from params, db and clock from the runner. */
export const reconcileBillingJob: JobHandler = (deps) => reconcileBilling({ ...billingDeps(), ...deps });

/** Scheduled: every hour, logged in jobRuns. */
export const scheduledReconcileBilling = onSchedule(
  { schedule: "every 60 minutes", region: REGION, secrets: [STRIPE_SECRET_KEY] },
  async () => {
    await runJob("reconcileBilling", reconcileBillingJob, billingDeps());
  },
);
