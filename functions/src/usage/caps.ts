/**
 * Pure limit maths for monthly AI caps. The hard caps are split into per-shard allotments that always sum
 * to the caps; a call reserves against one shard, so the org total can never pass a cap while concurrent
 * calls write to different documents. When a shard's allotment is too small, one transaction over every
 * shard moves the free slack (the rebalance). No Firestore here: meter.ts applies these decisions.
 */

/** How many counter documents one org's month is spread over; each sustains about one write per second. */
export const SHARD_COUNT = 16;

/** A quantity counted against the caps. */
export interface Amount {
  calls: number;
  costMicros: number;
}

export const ZERO: Amount = { calls: 0, costMicros: 0 };

export interface Caps {
  soft: Amount;
  hard: Amount;
}

/** What one counter shard holds, as caps.ts sees it. */
export interface ShardState {
  used: Amount;
  reserved: Amount;
  allot: Amount;
  /** The hard caps the allotments were cut from; stale when the plan changed. */
  cap: Amount;
}

export function add(a: Amount, b: Amount): Amount {
  return { calls: a.calls + b.calls, costMicros: a.costMicros + b.costMicros };
}

export function sub(a: Amount, b: Amount): Amount {
  return { calls: a.calls - b.calls, costMicros: a.costMicros - b.costMicros };
}

function fitsWithin(a: Amount, limit: Amount): boolean {
  return a.calls <= limit.calls && a.costMicros <= limit.costMicros;
}

function sameAmount(a: Amount, b: Amount): boolean {
  return a.calls === b.calls && a.costMicros === b.costMicros;
}

/** The UTC month of `at` as `yyyy-mm`, the id of its usage document. */
export function periodOf(at: Date): string {
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The month before `period`. */
export function previousPeriod(period: string): string {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return periodOf(new Date(Date.UTC(year, month - 2, 1)));
}

/** Whether `request` fits in the shard's own allotment, cut from the current caps. */
export function fitsShard(shard: ShardState | undefined, hard: Amount, request: Amount): boolean {
  if (!shard || !sameAmount(shard.cap, hard)) return false;
  return fitsWithin(add(add(shard.used, shard.reserved), request), shard.allot);
}

/** Which hard cap `request` would pass on top of `committed` (calls first), or undefined when it fits. */
export function exceeded(committed: Amount, request: Amount, hard: Amount): keyof Amount | undefined {
  const after = add(committed, request);
  if (after.calls > hard.calls) return "calls";
  if (after.costMicros > hard.costMicros) return "costMicros";
  return undefined;
}

export type Rebalance =
  | { ok: true; allots: Amount[] }
  | { ok: false; metric: "calls" | "costMicros"; committed: Amount };

/**
 * Recuts the allotments of all shards so that `target` can take `request`: every shard keeps what it has
 * used and reserved, the target also gets the request, and the remaining slack is spread evenly. Refuses
 * when the whole org cannot take the request, which makes the hard cap exact.
 */
export function rebalance(
  shards: readonly (ShardState | undefined)[],
  hard: Amount,
  target: number,
  request: Amount,
): Rebalance {
  const committed = shards.map((s) => (s ? add(s.used, s.reserved) : ZERO));
  const total = committed.reduce(add, ZERO);
  const metric = exceeded(total, request, hard);
  if (metric) return { ok: false, metric, committed: total };
  const after = add(total, request);
  const slack = sub(hard, after);
  const n = shards.length;
  const allots = committed.map((c, i) => {
    // The remainder of the even split goes to the shards right after the target, so it is used first.
    const rank = (i - target + n) % n;
    const share = {
      calls: Math.floor(slack.calls / n) + (rank < slack.calls % n ? 1 : 0),
      costMicros: Math.floor(slack.costMicros / n) + (rank < slack.costMicros % n ? 1 : 0),
    };
    return add(add(c, i === target ? request : ZERO), share);
  });
  return { ok: true, allots };
}

export interface Remaining {
  calls: number;
  costMicros: number;
  softCapReached: boolean;
}

/** What is left under the hard caps after `used`, and whether a soft cap is reached (at or past it). */
export function remaining(used: Amount, caps: Caps): Remaining {
  return {
    calls: Math.max(0, caps.hard.calls - used.calls),
    costMicros: Math.max(0, caps.hard.costMicros - used.costMicros),
    softCapReached: used.calls >= caps.soft.calls || used.costMicros >= caps.soft.costMicros,
  };
}

const MICROS_PER_CENT = 10_000;

/** Cost past the soft cap, in whole cents rounded up: what a usage-billed plan reports to Stripe. */
export function overageCents(usedCostMicros: number, softCostMicros: number): number {
  return Math.max(0, Math.ceil((usedCostMicros - softCostMicros) / MICROS_PER_CENT));
}
