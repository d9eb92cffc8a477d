import type { PlanId } from "@hearth/schema";
import type Stripe from "stripe";

/**
 * Metered AI overage: plans listed here let AI cost run past the soft cap up to the hard cap and bill the
 * difference through a Stripe billing meter. The free plan never bills; it simply stops at its hard cap.
 */
export const AI_OVERAGE_BILLED_PLANS: ReadonlySet<PlanId> = new Set<PlanId>(["pro", "team"]);

export interface OverageReport {
  stripeCustomerId: string;
  cents: number;
  /** Stable per org and period, so a report sent twice is counted once by Stripe. */
  identifier: string;
  at: Date;
}

export type ReportOverage = (report: OverageReport) => Promise<"reported" | "duplicate">;

/** Sends overage to Stripe as a meter event on `eventName`. */
export function stripeOverageReporter(client: Stripe, eventName: string): ReportOverage {
  return async (report) => {
    try {
      await client.billing.meterEvents.create({
        event_name: eventName,
        identifier: report.identifier,
        timestamp: Math.floor(report.at.getTime() / 1000),
        payload: { stripe_customer_id: report.stripeCustomerId, value: String(report.cents) },
      });
      return "reported";
    } catch (err) {
      // An earlier run already sent this identifier; Stripe kept the first one.
      if ((err as { code?: string }).code === "duplicate_meter_event") return "duplicate";
      throw err;
    }
  };
}
