/**
 * Pure decisions for reporting a closed month's AI overage to Stripe exactly once (no Stripe, no
 * Firestore; usage/overage.ts does the I/O and jobs/close-usage-period.ts the sequencing).
 *
 * What Stripe guarantees: a meter event's `identifier` is refused as a duplicate only within a rolling
 * window of at least 24 hours. The close job reruns on the 1st to 3rd, so a report that reached Stripe but
 * whose "reported" marker was never saved would be counted twice a day later. So the job first reads back
 * what Stripe recorded for the customer on the meter in the billed month (meter event summaries) and
 * sends only what is missing: resending is then harmless at any time, because within 24 hours Stripe drops
 * the repeated identifier, and later its (eventually consistent, minutes behind) summaries show the event.
 */

/** `yyyy-mm` → its first instant and the first instant of the next month (UTC), minute-aligned. */
export function periodBounds(period: string): { start: Date; end: Date } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!match) throw new RangeError(`not a usage period (yyyy-mm): ${JSON.stringify(period)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  return { start: new Date(Date.UTC(year, month - 1, 1)), end: new Date(Date.UTC(year, month, 1)) };
}

/**
 * When the overage meter event is stamped: the last second of the billed month, so Stripe counts it in the
 * billing period that contains the usage, not in the one that contains the day the job ran.
 */
export function overageTimestamp(period: string): Date {
  return new Date(periodBounds(period).end.getTime() - 1000);
}

export const overageIdentifier = (orgId: string, period: string) => `ai-overage-${orgId}-${period}`;

export type OverageStep =
  /** Stripe already holds the month's overage (or more, `excessCents`): record it, send nothing. */
  | { kind: "recorded"; excessCents: number }
  /** Send `cents` under `identifier`. */
  | { kind: "send"; cents: number; identifier: string };

/**
 * What to send so that Stripe ends up holding `overageCents` for the org's month, given the
 * `recordedCents` it already holds. A first report uses the month's identifier; a top-up (the month's
 * total grew after a report, e.g. a late settle before a rerun) gets its own, named after the target total,
 * so it is deduplicated like the first.
 */
export function nextOverageStep(input: {
  orgId: string;
  period: string;
  overageCents: number;
  recordedCents: number;
}): OverageStep {
  const { orgId, period, overageCents, recordedCents } = input;
  if (!Number.isInteger(overageCents) || overageCents < 0) throw new RangeError("overageCents must be >= 0");
  if (recordedCents >= overageCents) return { kind: "recorded", excessCents: recordedCents - overageCents };
  const identifier = overageIdentifier(orgId, period);
  if (recordedCents <= 0) return { kind: "send", cents: overageCents, identifier };
  return {
    kind: "send",
    cents: overageCents - recordedCents,
    identifier: `${identifier}-to-${overageCents}`,
  };
}
