import { z } from "zod";
import { UsageShard } from "../api/ai.js";
import { FirestoreTimestamp } from "./timestamp.js";

/** A usage period id, `yyyy-mm` in UTC: the id of `orgs/{orgId}/usage/{period}`. */
export const UsagePeriodId = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "expected yyyy-mm");
export type UsagePeriodId = z.infer<typeof UsagePeriodId>;

const Counter = z.number().int().nonnegative();

/**
 * `orgs/{orgId}/usage/{yyyy-mm}`: the month's AI counters, server only, kept live from the month's first
 * AI call (which creates it with zeros) by every settled call, so a frontend can listen to it; rewritten
 * from the shards when the month closes. A missing counter means 0. The usage feature keeps shards and
 * per-user counters in subcollections below it; members read all of it.
 */
export const UsageDoc = z.object({
  aiCalls: Counter.optional(),
  aiInputTokens: Counter.optional(),
  aiOutputTokens: Counter.optional(),
  aiCostMicros: Counter.optional(),
  storageBytes: Counter.optional(),
  /** When the close job summed the month (set once the month is over). */
  closedAt: FirestoreTimestamp.optional(),
  /** AI cost past the soft cap, in cents, that a usage-billed plan reported to Stripe for the month. */
  overageCents: Counter.optional(),
  /** When that report was confirmed; the close job's reruns send nothing once it is set. */
  overageReportedAt: FirestoreTimestamp.optional(),
  /** How it was confirmed: sent by this run, or found in Stripe's own summary of the month. */
  overageConfirmedBy: z.enum(["sent", "stripe-summary"]).optional(),
});
export type UsageDoc = z.infer<typeof UsageDoc>;

/**
 * `orgs/{orgId}/usage/{yyyy-mm}/users/{uid}`: one member's AI counters for the month; `uid` repeats the id
 * so deleteMyAccount can find them across orgs (collection group query).
 */
export const UsageUserDoc = z.object({
  uid: z.string().min(1),
  calls: Counter,
  inputTokens: Counter,
  outputTokens: Counter,
  costMicros: Counter,
  updatedAt: FirestoreTimestamp.optional(),
});
export type UsageUserDoc = z.infer<typeof UsageUserDoc>;

/**
 * `orgs/{orgId}/usage/storage`: what the org's files hold now (a level, not a monthly counter), kept exact
 * by the storage triggers; storage.rules reads it to refuse uploads past the plan. Missing means 0.
 */
export const StorageUsageDoc = z.object({
  storageBytes: Counter,
  files: Counter,
});
export type StorageUsageDoc = z.infer<typeof StorageUsageDoc>;

/**
 * A counter shard as written before every shard was written whole: a rebalance set only the allotment
 * fields on the shards it did not reserve on, so their counters may be missing (meaning 0). Migration 0002
 * fills them in; until it has run everywhere, the server reads shards as UsageShardAnyVersion.
 */
export const UsageShardV1 = UsageShard.partial();
export type UsageShardV1 = z.infer<typeof UsageShardV1>;

export const UsageShardAnyVersion = z.union([UsageShard, UsageShardV1]);
export type UsageShardAnyVersion = z.infer<typeof UsageShardAnyVersion>;
