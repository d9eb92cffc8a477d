import { z } from "zod";

/** A usage period id, `yyyy-mm` in UTC: the id of `orgs/{orgId}/usage/{period}`. */
export const UsagePeriodId = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "expected yyyy-mm");
export type UsagePeriodId = z.infer<typeof UsagePeriodId>;

const Counter = z.number().int().nonnegative();

/**
 * `orgs/{orgId}/usage/{yyyy-mm}`: the month's counters, server only. A missing counter means 0. The
 * usage feature may keep shards or per-user counters in subcollections below it; members read all of it.
 */
export const UsageDoc = z.object({
  aiCalls: Counter.optional(),
  aiInputTokens: Counter.optional(),
  aiOutputTokens: Counter.optional(),
  aiCostMicros: Counter.optional(),
  storageBytes: Counter.optional(),
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
