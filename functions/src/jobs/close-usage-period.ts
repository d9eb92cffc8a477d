import { FieldPath, FieldValue } from "firebase-admin/firestore";
import { onSchedule } from "firebase-functions/scheduler";
import { stripe } from "../billing/stripe-client.js";
import { stripeErrorLabel } from "../billing/stripe-errors.js";
import { validData, validDocs } from "../db/read.js";
import { refs } from "../db/refs.js";
import { systemClock } from "../lib/clock.js";
import { db } from "../lib/firestore.js";
import { type JobHandler, runJob } from "../lib/job-run.js";
import { logEvent, logFailure } from "../lib/logging.js";
import { AI_OVERAGE_METER_EVENT, STRIPE_SECRET_KEY } from "../lib/params.js";
import { REGION } from "../lib/runtime.js";
import { overageCents, periodOf, previousPeriod } from "../usage/caps.js";
import { monthFields, sumShards } from "../usage/meter.js";
import { AI_OVERAGE_BILLED_PLANS, type OverageLedger, stripeOverageLedger } from "../usage/overage.js";
import { nextOverageStep, overageTimestamp, periodBounds } from "../usage/overage-plan.js";
import { usageRefs } from "../usage/refs.js";

const PAGE = 200;
const SOURCE = "closeUsagePeriod";

/**
 * Closes last month for every org: rewrites the counters on `orgs/{orgId}/usage/{yyyy-mm}` from the sum
 * of its shards, marks it closed and, for plans that bill usage, reports AI cost past the soft cap to
 * Stripe once.
 * Idempotent across any number of reruns and crashes: a rerun rewrites the same totals, skips overage
 * whose report is marked, and otherwise reads back what Stripe recorded for the month before sending only
 * what is missing (see usage/overage-plan.ts), so the schedule simply runs on the first days of each month.
 */
export function closeUsagePeriodWith(ledgerOf: () => OverageLedger): JobHandler {
  return async ({ db: firestore, clock }) => {
    const now = clock.now();
    const period = previousPeriod(periodOf(now));
    const bounds = periodBounds(period);
    const result = {
      orgs: 0,
      closed: 0,
      overageReported: 0,
      overageAlreadyRecorded: 0,
      overageUnconfirmed: 0,
      overageFailed: 0,
      invalid: 0,
    };
    let ledger: OverageLedger | undefined;
    let after: string | undefined;
    for (;;) {
      let page = refs.orgs(firestore).orderBy(FieldPath.documentId()).limit(PAGE);
      if (after) page = page.startAfter(after);
      const orgs = await page.get();
      const valid = validDocs(orgs.docs, SOURCE);
      result.invalid += valid.skipped;
      for (const org of valid.docs) {
        result.orgs++;
        const usage = usageRefs(firestore, org.id, period);
        // The settles keep the month's totals live; closing rewrites them from the shards (the exact
        // record, and the whole month for a month that began before live totals existed) in one
        // transaction, so a settle landing meanwhile is never overwritten. A shard that does not fit its
        // schema leaves the month open (logged) rather than closed on a wrong total.
        const totals = await firestore.runTransaction(async (tx) => {
          const shards = validDocs((await tx.get(usage.shards())).docs, SOURCE);
          if (shards.skipped > 0) return "invalid";
          if (shards.docs.length === 0) return undefined;
          const sums = sumShards(shards.docs.map((s) => s.data));
          tx.set(
            usage.period,
            { ...monthFields(sums), closedAt: FieldValue.serverTimestamp() },
            { merge: true },
          );
          return sums;
        });
        if (totals === "invalid") result.invalid++;
        if (!totals || totals === "invalid") continue;
        result.closed++;
        const cents = overageCents(totals.costMicros, org.data.entitlements.aiCostMicrosPerMonth.soft);
        if (cents === 0 || !AI_OVERAGE_BILLED_PLANS.has(org.data.plan)) continue;
        // Just written, so missing only when it does not fit UsageDoc (logged): then report nothing.
        const month = validData(await usage.period.get(), SOURCE);
        if (!month) result.invalid++;
        if (!month || month.overageReportedAt) continue;
        try {
          const billing = validData(await refs.privateBilling(firestore, org.id).get(), SOURCE);
          if (!billing) throw new Error("org has no Stripe customer");
          const { stripeCustomerId } = billing;
          ledger ??= ledgerOf();
          const recordedCents = await ledger.recorded(stripeCustomerId, bounds.start, bounds.end);
          const step = nextOverageStep({ orgId: org.id, period, overageCents: cents, recordedCents });
          if (step.kind === "send") {
            const at = overageTimestamp(period);
            const sent = await ledger.send({
              stripeCustomerId,
              cents: step.cents,
              identifier: step.identifier,
              at,
            });
            if (sent === "duplicate") {
              // Sent within the last 24 hours but not in the summary yet, possibly with another amount:
              // leave the marker unset, so a later run confirms (or tops up) from the summary.
              result.overageUnconfirmed++;
              logEvent("usage.overage.unconfirmed", { orgId: org.id, period });
              continue;
            }
            result.overageReported++;
          } else {
            result.overageAlreadyRecorded++;
            if (step.excessCents > 0) logEvent("usage.overage.excess_recorded", { orgId: org.id, period });
          }
          await usage.period.update({
            overageCents: cents,
            overageReportedAt: FieldValue.serverTimestamp(),
            overageConfirmedBy: step.kind === "send" ? "sent" : "stripe-summary",
          });
        } catch (err) {
          result.overageFailed++;
          // Stripe messages can quote customer ids: log the error class and code only.
          logFailure("usage.overage.report_failed", stripeErrorLabel(err), { orgId: org.id, period });
        }
      }
      if (orgs.size < PAGE) break;
      after = orgs.docs[orgs.size - 1]!.id;
    }
    return result;
  };
}

/** The job as its schedule runs it: overage goes to Stripe through the billing client. */
export const closeUsagePeriod: JobHandler = closeUsagePeriodWith(() =>
  stripeOverageLedger(stripe(), AI_OVERAGE_METER_EVENT.value()),
);

/** Scheduled: 02:00 UTC on the 1st, 2nd and 3rd of each month (the reruns retry failed reports). */
export const scheduledCloseUsagePeriod = onSchedule(
  { schedule: "0 2 1-3 * *", timeZone: "Etc/UTC", region: REGION, secrets: [STRIPE_SECRET_KEY] },
  async () => {
    await runJob("closeUsagePeriod", closeUsagePeriod, { db: db(), clock: systemClock });
  },
);
