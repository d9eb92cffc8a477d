import {
  AggregateField,
  FieldValue,
  type Firestore,
  Timestamp,
  type Transaction,
} from "firebase-admin/firestore";
import { type Doc, refs } from "../db/refs.js";
import type { Deps } from "../lib/deps.js";
import { AppError } from "../lib/errors.js";
import { logEvent } from "../lib/logging.js";
import { type Amount, exceeded, fitsShard, rebalance, SHARD_COUNT, type ShardState, ZERO } from "./caps.js";
import { usageRefs } from "./refs.js";

/**
 * Reserve and settle AI spend against the monthly hard caps, in transactions. A reservation touches one
 * random counter shard (plus its own document), so concurrent calls of one org spread their writes; the
 * rare call that does not fit its shard rebalances all shards in one transaction (see caps.ts).
 */
export interface MeterDeps extends Deps {
  random: () => number;
}

/** What a call was charged after the provider answered. */
export interface Charge {
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
}

export interface Reservation {
  id: string;
  orgId: string;
  period: string;
  uid: string;
  shard: number;
  amount: Amount;
  /** The owning account whose free allowance the call is also charged to (free orgs only). */
  account?: string;
}

/** A free org's owner and the free plan's hard caps, which bind all the free orgs that account owns. */
export interface AccountAllowance {
  uid: string;
  hard: Amount;
}

/** How long an account's monthly free-allowance document is kept after its last change (TTL `expiresAt`). */
const ACCOUNT_USAGE_TTL_MS = 62 * 24 * 60 * 60_000;

/** TTL of a reservation document: a net under settle-reservations.ts, which closes stale ones in minutes. */
const RESERVATION_TTL_MS = 7 * 24 * 60 * 60_000;

/** How long a reservation may stay open before settle-reservations.ts releases it. */
export const RESERVATION_STALE_MS = 10 * 60_000;

/** The org's AI counters for a period, in the shards' field names. */
export interface UsageTotals<T = number> {
  calls: T;
  inputTokens: T;
  outputTokens: T;
  costMicros: T;
}

/** The same counters in the month document's field names (UsageDoc). */
export function monthFields<T>(t: UsageTotals<T>) {
  return {
    aiCalls: t.calls,
    aiInputTokens: t.inputTokens,
    aiOutputTokens: t.outputTokens,
    aiCostMicros: t.costMicros,
  };
}

/** Adding 0 creates a missing counter and changes an existing one not at all. */
const ZERO_INCREMENTS: UsageTotals<FieldValue> = {
  calls: FieldValue.increment(0),
  inputTokens: FieldValue.increment(0),
  outputTokens: FieldValue.increment(0),
  costMicros: FieldValue.increment(0),
};

/** A counter that may be missing (shards written before they were whole, free-allowance months): 0. */
const n = (value: number | undefined): number => value ?? 0;

function shardState(data: Partial<Doc<"usageShard">> | undefined): ShardState | undefined {
  if (!data) return undefined;
  return {
    used: { calls: n(data.calls), costMicros: n(data.costMicros) },
    reserved: { calls: n(data.reservedCalls), costMicros: n(data.reservedCostMicros) },
    allot: { calls: n(data.allotCalls), costMicros: n(data.allotCostMicros) },
    cap: { calls: n(data.capCalls), costMicros: n(data.capCostMicros) },
  };
}

function writeReservation(tx: Transaction, deps: MeterDeps, r: Reservation): void {
  const refs = usageRefs(deps.db, r.orgId, r.period);
  const now = deps.clock.now();
  tx.create(refs.reservation(r.id), {
    orgId: r.orgId,
    period: r.period,
    uid: r.uid,
    shard: r.shard,
    calls: r.amount.calls,
    costMicros: r.amount.costMicros,
    account: r.account ?? null,
    createdAt: Timestamp.fromDate(now),
    staleAt: Timestamp.fromMillis(now.getTime() + RESERVATION_STALE_MS),
    expiresAt: Timestamp.fromMillis(now.getTime() + RESERVATION_TTL_MS),
  });
}

function accountCommitted(data: Doc<"freeAiUsage"> | undefined): Amount {
  return {
    calls: n(data?.calls) + n(data?.reservedCalls),
    costMicros: n(data?.costMicros) + n(data?.reservedCostMicros),
  };
}

/**
 * The account check of a free org's call, inside the reserving transaction: reads the account's month and
 * refuses past the free caps (`hard-cap`, scope `account`); returns the write that reserves the amount.
 * One document per account is fine here: the free plan's per-user rate limit keeps its writes rare.
 */
async function checkAccount(
  tx: Transaction,
  deps: MeterDeps,
  r: Reservation,
  allowance: AccountAllowance | undefined,
): Promise<() => void> {
  if (!allowance) return () => {};
  const ref = usageRefs(deps.db, r.orgId, r.period).account(allowance.uid);
  const committed = accountCommitted((await tx.get(ref)).data());
  const metric = exceeded(committed, r.amount, allowance.hard);
  if (metric) {
    throw new AppError(
      "resource-exhausted",
      "The free AI allowance of this organization's owner is used up.",
      {
        reason: "hard-cap",
        scope: "account",
        metric: metric === "calls" ? "calls" : "cost",
        period: r.period,
      },
    );
  }
  return () =>
    tx.set(
      ref,
      {
        owner: allowance.uid,
        period: r.period,
        ...reservedFields(r.amount),
        expiresAt: Timestamp.fromMillis(deps.clock.now().getTime() + ACCOUNT_USAGE_TTL_MS),
      },
      { merge: true },
    );
}

/** gRPC ABORTED: a transaction lost a race for a document it read. */
function isContention(err: unknown): boolean {
  return (err as { code?: unknown }).code === 10;
}

/**
 * Waits before another attempt after contention: a few milliseconds at first, doubling up to about 200,
 * jittered so that racing calls spread out (the SDK's own retry waits a second or more each time).
 */
function backOff(attempt: number, random: () => number): Promise<void> {
  const ms = Math.min(200, 5 * 2 ** Math.min(attempt, 6)) * (0.5 + random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Attempts per reservation; each picks a fresh random shard, so racing calls move apart. */
const MAX_RESERVE_ATTEMPTS = 30;

/** Other shards tried, one document each, before a full shard leads to a rebalance. */
const MAX_PROBES = 3;

/**
 * Reserves `amount` for one call, or refuses with `resource-exhausted` (reason `hard-cap`) when the org's
 * used plus in-flight amounts would pass a hard cap, or (with `account`) when the owning account's free
 * allowance would, shared by all the free orgs it owns (scope `account`). Transactions run once each (the
 * SDK's own retry waits a second or more); on contention the whole attempt is retried here after a few
 * milliseconds, starting again from the one-shard fast path.
 */
export async function reserve(
  deps: MeterDeps,
  call: {
    orgId: string;
    period: string;
    uid: string;
    hard: Amount;
    amount: Amount;
    account?: AccountAllowance;
  },
): Promise<Reservation> {
  const refs = usageRefs(deps.db, call.orgId, call.period);
  const id = refs.newReservationId();
  let probes = 0;
  for (let attempt = 1; ; ) {
    const shard = Math.floor(deps.random() * SHARD_COUNT) % SHARD_COUNT;
    const reservation: Reservation = {
      id,
      orgId: call.orgId,
      period: call.period,
      uid: call.uid,
      shard,
      amount: call.amount,
      ...(call.account ? { account: call.account.uid } : {}),
    };
    try {
      const fast = await reserveOnShard(deps, reservation, call.hard, call.account);
      if (fast === "reserved") return reservation;
      // A full shard may sit beside shards with room: a few one-document probes are cheaper than reading
      // every shard, and they race less with other calls.
      if (fast === "full" && probes < MAX_PROBES) {
        probes++;
        continue;
      }
      await reserveByRebalance(deps, reservation, call.hard, call.account);
      return reservation;
    } catch (err) {
      if (!isContention(err)) throw err;
      if (attempt >= MAX_RESERVE_ATTEMPTS) {
        throw new AppError("aborted", "Too many AI calls at once for this organization. Try again.", {
          reason: "contention",
        });
      }
      await backOff(attempt, deps.random);
      attempt++;
    }
  }
}

function reservedFields(amount: Amount) {
  return {
    reservedCalls: FieldValue.increment(amount.calls),
    reservedCostMicros: FieldValue.increment(amount.costMicros),
    updatedAt: FieldValue.serverTimestamp(),
  };
}

/**
 * The fast path: one shard read, one shard write, when the shard's own allotment has room. "stale" means
 * the shard is missing or was cut from other caps, so only a rebalance can help.
 */
function reserveOnShard(
  deps: MeterDeps,
  r: Reservation,
  hard: Amount,
  allowance?: AccountAllowance,
): Promise<"reserved" | "full" | "stale"> {
  const ref = usageRefs(deps.db, r.orgId, r.period).shard(r.shard);
  return deps.db.runTransaction(
    async (tx) => {
      const shard = shardState((await tx.get(ref)).data());
      if (!fitsShard(shard, hard, r.amount)) {
        return shard && shard.cap.calls === hard.calls && shard.cap.costMicros === hard.costMicros
          ? "full"
          : "stale";
      }
      const reserveOnAccount = await checkAccount(tx, deps, r, allowance);
      tx.update(ref, reservedFields(r.amount));
      reserveOnAccount();
      writeReservation(tx, deps, r);
      return "reserved";
    },
    { maxAttempts: 1 },
  );
}

/** The slow path: read every shard, refuse past the cap, or recut the allotments and reserve. */
async function reserveByRebalance(
  deps: MeterDeps,
  r: Reservation,
  hard: Amount,
  allowance?: AccountAllowance,
): Promise<void> {
  const refs = usageRefs(deps.db, r.orgId, r.period);
  const shardRefs = Array.from({ length: SHARD_COUNT }, (_, i) => refs.shard(i));
  await deps.db.runTransaction(
    async (tx) => {
      const shards = (await tx.getAll(...shardRefs)).map((s) => shardState(s.data()));
      const reserveOnAccount = await checkAccount(tx, deps, r, allowance);
      if (fitsShard(shards[r.shard], hard, r.amount)) {
        // Another call rebalanced meanwhile: no need to rewrite every shard.
        tx.update(shardRefs[r.shard]!, reservedFields(r.amount));
      } else {
        const result = rebalance(shards, hard, r.shard, r.amount);
        if (!result.ok) {
          throw new AppError("resource-exhausted", "This organization reached its monthly AI limit.", {
            reason: "hard-cap",
            metric: result.metric === "calls" ? "calls" : "cost",
            period: r.period,
          });
        }
        result.allots.forEach((allot, i) => {
          const cut = {
            allotCalls: allot.calls,
            allotCostMicros: allot.costMicros,
            capCalls: hard.calls,
            capCostMicros: hard.costMicros,
          };
          // Zeros for missing counters: every shard holds every field UsageShard declares, which
          // frontends sum.
          const reserved = reservedFields(i === r.shard ? r.amount : ZERO);
          tx.set(shardRefs[i]!, { ...ZERO_INCREMENTS, ...reserved, ...cut }, { merge: true });
        });
      }
      reserveOnAccount();
      writeReservation(tx, deps, r);
      // A month's first call always comes here (it has no shards yet), so the month document, which
      // frontends listen to, exists from that call on; a blind write adds no read to the transaction.
      tx.set(refs.period, monthFields(ZERO_INCREMENTS), { merge: true });
    },
    { maxAttempts: 1 },
  );
  logEvent("ai.usage.rebalanced", { orgId: r.orgId, period: r.period, shard: r.shard });
}

/**
 * Attempts to close a reservation. Closing must not give up early: an answered call whose close failed
 * would go uncharged (the stale-reservation job only releases). On a hot org the close waits for the
 * shard and month documents behind rebalances, and an older transaction may take them from it.
 */
const MAX_CLOSE_ATTEMPTS = 30;

/** What closing needs of a reservation (the stale-reservation job has no more than its document). */
type ClosingReservation = Pick<Reservation, "id" | "orgId" | "period" | "uid" | "shard" | "amount">;

/**
 * Closes a reservation once: with `charge`, the real tokens and cost move into the shard's and the user's
 * counters (and the owning account's free allowance, when the reservation was charged to one); without it,
 * the reserved amount is just released. Returns false when the reservation was already closed (for
 * example released as stale by the scheduled job), in which case nothing changes. Contention is retried
 * here, after a few milliseconds, up to MAX_CLOSE_ATTEMPTS times.
 */
export async function closeReservation(
  deps: Pick<MeterDeps, "db">,
  r: ClosingReservation,
  charge?: Charge,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await closeReservationOnce(deps, r, charge);
    } catch (err) {
      if (!isContention(err) || attempt >= MAX_CLOSE_ATTEMPTS) throw err;
      await backOff(attempt, Math.random);
    }
  }
}

function closeReservationOnce(
  deps: Pick<MeterDeps, "db">,
  r: ClosingReservation,
  charge?: Charge,
): Promise<boolean> {
  const refs = usageRefs(deps.db, r.orgId, r.period);
  return deps.db.runTransaction(
    async (tx) => {
      const open = await tx.get(refs.reservation(r.id));
      if (!open.exists) return false;
      const counters = charge && {
        calls: FieldValue.increment(1),
        inputTokens: FieldValue.increment(charge.inputTokens),
        outputTokens: FieldValue.increment(charge.outputTokens),
        costMicros: FieldValue.increment(charge.costMicros),
      };
      if (counters) {
        // The month's live totals, in the transaction that deletes the reservation, so each call counts once.
        // The hard caps are still decided on the shards; this blind write adds no read contention.
        tx.set(refs.period, monthFields(counters), { merge: true });
        // `uid` lets deleteMyAccount find the per-user counters (collection group query on users.uid).
        tx.set(
          refs.user(r.uid),
          { ...counters, uid: r.uid, updatedAt: FieldValue.serverTimestamp() },
          { merge: true },
        );
      }
      const account = open.data()?.account;
      if (account) {
        const release = {
          reservedCalls: FieldValue.increment(-r.amount.calls),
          reservedCostMicros: FieldValue.increment(-r.amount.costMicros),
        };
        const charged = charge
          ? { calls: FieldValue.increment(1), costMicros: FieldValue.increment(charge.costMicros) }
          : {};
        tx.set(refs.account(account), { ...release, ...charged }, { merge: true });
      }
      const unreserved = { calls: -r.amount.calls, costMicros: -r.amount.costMicros };
      tx.update(refs.shard(r.shard), { ...reservedFields(unreserved), ...counters });
      tx.delete(refs.reservation(r.id));
      return true;
    },
    { maxAttempts: 1 },
  );
}

/** Counters summed over a period's shards: the month's totals, exact once no call is in flight. */
export function sumShards(shards: readonly Partial<Doc<"usageShard">>[]): UsageTotals {
  const totals: UsageTotals = { calls: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 };
  for (const shard of shards) {
    for (const key of Object.keys(totals) as (keyof UsageTotals)[]) totals[key] += n(shard[key]);
  }
  return totals;
}

/**
 * Used plus in-flight calls and cost for a period, summed over the shards by one aggregation query: one
 * billed read however many shards exist, which is what every aiGenerate answer's `remaining` needs.
 */
export async function readCommitted(db: Firestore, orgId: string, period: string): Promise<Amount> {
  const snap = await usageRefs(db, orgId, period)
    .shards()
    .aggregate({
      calls: AggregateField.sum("calls"),
      costMicros: AggregateField.sum("costMicros"),
      reservedCalls: AggregateField.sum("reservedCalls"),
      reservedCostMicros: AggregateField.sum("reservedCostMicros"),
    })
    .get();
  const sums = snap.data();
  return {
    calls: (sums.calls ?? 0) + (sums.reservedCalls ?? 0),
    costMicros: (sums.costMicros ?? 0) + (sums.reservedCostMicros ?? 0),
  };
}

/** Used plus in-flight calls and cost of one account's free orgs in a period (its free allowance). */
export async function readAccountCommitted(db: Firestore, uid: string, period: string): Promise<Amount> {
  return accountCommitted((await refs.freeAiUsage(db, period, uid).get()).data());
}
