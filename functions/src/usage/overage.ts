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
  /** Stable per org and period (see overage-plan.ts), so Stripe drops a resend within its 24-hour window. */
  identifier: string;
  /** Inside the billed period (its last second), not when the job ran. */
  at: Date;
}

/** Stripe's side of overage reporting: what it recorded, and sending more. */
export interface OverageLedger {
  /** Cents Stripe recorded on the overage meter for the customer, for events stamped in [start, end). */
  recorded(stripeCustomerId: string, start: Date, end: Date): Promise<number>;
  send(report: OverageReport): Promise<"reported" | "duplicate">;
}

/** The account has no active meter for the configured AI_OVERAGE_METER_EVENT. */
export class OverageMeterMissingError extends Error {
  override readonly name = "OverageMeterMissingError";
  constructor(readonly eventName: string) {
    super(`No active Stripe billing meter has the event name ${JSON.stringify(eventName)}.`);
  }
}

const unix = (at: Date) => Math.floor(at.getTime() / 1000);

/** The overage meter named `eventName` in Stripe: meter events go to it, summaries are read from it. */
export function stripeOverageLedger(client: Stripe, eventName: string): OverageLedger {
  let meterId: Promise<string> | undefined;
  const meter = () => {
    meterId ??= (async () => {
      for await (const m of client.billing.meters.list({ status: "active", limit: 100 })) {
        if (m.event_name === eventName) return m.id;
      }
      throw new OverageMeterMissingError(eventName);
    })();
    meterId.catch(() => {
      meterId = undefined;
    });
    return meterId;
  };
  return {
    async recorded(stripeCustomerId, start, end) {
      const id = await meter();
      let total = 0;
      // Without value_grouping_window Stripe answers one summary for the whole range.
      for await (const summary of client.billing.meters.listEventSummaries(id, {
        customer: stripeCustomerId,
        start_time: unix(start),
        end_time: unix(end),
      })) {
        total += summary.aggregated_value;
      }
      return total;
    },
    async send(report) {
      try {
        await client.billing.meterEvents.create({
          event_name: eventName,
          identifier: report.identifier,
          timestamp: unix(report.at),
          payload: { stripe_customer_id: report.stripeCustomerId, value: String(report.cents) },
        });
        return "reported";
      } catch (err) {
        // Sent before within Stripe's identifier window; Stripe kept the first one.
        if ((err as { code?: string }).code === "duplicate_meter_event") return "duplicate";
        throw err;
      }
    },
  };
}
