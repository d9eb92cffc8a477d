import type { BillingStatus } from "@hearth/schema";
import { FieldPath, type Firestore, type QueryDocumentSnapshot } from "firebase-admin/firestore";
import { onSchedule } from "firebase-functions/scheduler";
import { applyStripeEvent } from "../billing/apply-event.js";
import { cancelDeletedOrgSubscription } from "../billing/cancel-deleted-org.js";
import { billingDeps } from "../billing/deps.js";
import { stripeErrorLabel } from "../billing/stripe-errors.js";
import { syncSeats } from "../billing/sync-seats.js";
import { type BillingDeps, syncSubscription } from "../billing/sync-subscription.js";
import { validData, validDocs } from "../db/read.js";
import { type Doc, refs } from "../db/refs.js";
import type { JobHandler, JobResult } from "../lib/job-run.js";
import { runJob } from "../lib/job-run.js";
import { logFailure } from "../lib/logging.js";
import { STRIPE_SECRET_KEY } from "../lib/params.js";
import { REGION } from "../lib/runtime.js";

/** Billing states worth re-reading from Stripe: everything that can still change or bill. */
const RECONCILED_STATUSES: BillingStatus[] = [
  "trialing",
  "active",
  "past_due",
  "unpaid",
  "paused",
  "incomplete",
];

/** A failed event is retried this many times in all before it is left for a person to look at. */
export const MAX_EVENT_ATTEMPTS = 8;

/** A pending event older than this was missed by its trigger and is processed here. */
const STUCK_PENDING_MS = 10 * 60 * 1000;

const PAGE_SIZE = 200;
const SOURCE = "reconcileBilling";

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
    invalid: 0,
  };
  for await (const page of paidOrgs(deps.db, pageSize)) {
    const orgs = validDocs(page, SOURCE);
    result.invalid += orgs.skipped;
    for (const org of orgs.docs) {
      result.orgsChecked++;
      try {
        const billing = await refs.privateBilling(deps.db, org.id).get();
        const subscriptionId = validData(billing, SOURCE)?.subscriptionId;
        if (subscriptionId) await syncSubscription(deps, subscriptionId);
        if (org.data.deletedAt != null) {
          if ((await cancelDeletedOrgSubscription(org.id, deps)) === "canceling")
            result.deletedOrgsCanceled++;
        } else if ((await syncSeats(org.id, runKey, deps)) === "updated") {
          result.seatsUpdated++;
        }
      } catch (err) {
        result.orgsFailed++;
        logFailure("billing.reconcile.org_failed", stripeErrorLabel(err), { orgId: org.id });
      }
    }
  }

  const now = deps.clock.now().getTime();
  const [failed, pending] = await Promise.all(
    (["failed", "pending"] as const).map(async (status) => {
      const page = await refs.stripeEvents(deps.db).where("status", "==", status).limit(PAGE_SIZE).get();
      const events = validDocs(page.docs, SOURCE);
      result.invalid += events.skipped;
      return events.docs;
    }),
  );
  const due = [
    ...(failed ?? []).filter(
      ({ data }) => data.attempts < MAX_EVENT_ATTEMPTS && data.outcome !== "unstorable",
    ),
    ...(pending ?? []).filter(({ data }) => now - data.receivedAt.toMillis() > STUCK_PENDING_MS),
  ];
  for (const doc of due) {
    result.eventsRetried++;
    const outcome = await applyStripeEvent(doc.id, deps).catch(() => "failed" as const);
    if (outcome === "failed") result.eventsFailed++;
  }
  return result;
}

/** Every org with a live subscription, page by page in id order (invalid ones too: the caller skips them). */
async function* paidOrgs(
  db: Firestore,
  pageSize: number,
): AsyncGenerator<QueryDocumentSnapshot<Doc<"org">>[]> {
  let last: QueryDocumentSnapshot<Doc<"org">> | undefined;
  for (;;) {
    let query = refs
      .orgs(db)
      .where("billingStatus", "in", RECONCILED_STATUSES)
      .orderBy(FieldPath.documentId())
      .limit(pageSize);
    if (last) query = query.startAfter(last);
    const page = await query.get();
    yield page.docs;
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
