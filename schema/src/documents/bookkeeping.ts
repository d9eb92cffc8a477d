import { z } from "zod";
import { FirestoreTimestamp } from "./timestamp.js";

/** `aiCache/{hash}`: a cached AI answer, server only; `expiresAt` is the TTL field. */
export const AiCacheDoc = z.object({
  orgId: z.string().min(1),
  model: z.string().min(1),
  text: z.string(),
  usage: z.object({
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    costMicros: z.number().int().nonnegative(),
  }),
  createdAt: FirestoreTimestamp,
  expiresAt: FirestoreTimestamp,
});
export type AiCacheDoc = z.infer<typeof AiCacheDoc>;

/**
 * `rateLimits/{key}`: one token bucket per (org, user, action) (functions/src/usage/rate-limit.ts), server
 * only; `expiresAt` is the TTL field, when the bucket would be full again.
 */
export const RateLimitDoc = z.object({
  tokens: z.number().nonnegative(),
  updatedAt: FirestoreTimestamp,
  expiresAt: FirestoreTimestamp,
});
export type RateLimitDoc = z.infer<typeof RateLimitDoc>;

export const JOB_RUN_STATUSES = ["running", "succeeded", "failed"] as const;

/** `jobRuns/{id}`: one scheduled-job run, as functions/src/lib/job-run.ts records it; server only. */
export const JobRunDoc = z.object({
  job: z.string().min(1),
  status: z.enum(JOB_RUN_STATUSES),
  startedAt: FirestoreTimestamp,
  finishedAt: FirestoreTimestamp.nullable(),
  result: z.record(z.string(), z.number()).nullable(),
  error: z.string().nullable(),
  /** TTL field: a month after the run started. */
  expiresAt: FirestoreTimestamp,
});
export type JobRunDoc = z.infer<typeof JobRunDoc>;

/** `aiReservations/{id}`: one AI call's reserved amount until it is settled or released; server only. */
export const AiReservationDoc = z.object({
  orgId: z.string().min(1),
  period: z.string().min(1),
  uid: z.string().min(1),
  shard: z.number().int().nonnegative(),
  calls: z.number().int().nonnegative(),
  costMicros: z.number().int().nonnegative(),
  /** The owning account whose free allowance is also charged (free orgs), else null. */
  account: z.string().nullable(),
  createdAt: FirestoreTimestamp,
  /** After this, settle-reservations.ts releases it. */
  staleAt: FirestoreTimestamp,
  /** TTL field, a net under the settle job. */
  expiresAt: FirestoreTimestamp,
});
export type AiReservationDoc = z.infer<typeof AiReservationDoc>;

/** Event times (milliseconds) in a sliding-window log, newest last, at most a day old. */
const WindowLog = z.array(z.number().int());

/** `accountLimits/{uid}`: one account's sliding-window logs (usage/limits.ts); server only. */
export const AccountLimitsDoc = z.object({
  mail: WindowLog.optional(),
  orgsCreated: WindowLog.optional(),
  /** TTL field: a day after the last event, when the logs limit nothing any more. */
  expiresAt: FirestoreTimestamp,
});
export type AccountLimitsDoc = z.infer<typeof AccountLimitsDoc>;

/** `orgLimits/{orgId}`: one org's sliding-window logs (usage/limits.ts); server only. */
export const OrgLimitsDoc = z.object({
  mail: WindowLog.optional(),
  expiresAt: FirestoreTimestamp,
});
export type OrgLimitsDoc = z.infer<typeof OrgLimitsDoc>;

/**
 * `freeAiUsage/{period}_{uid}`: what the free orgs one account owns used and hold reserved that month,
 * against the free plan's caps (usage/meter.ts); server only.
 */
export const FreeAiUsageDoc = z.object({
  owner: z.string().min(1),
  period: z.string().min(1),
  calls: z.number().int().nonnegative().optional(),
  costMicros: z.number().int().nonnegative().optional(),
  reservedCalls: z.number().int().nonnegative(),
  reservedCostMicros: z.number().int().nonnegative(),
  /** TTL field: two months after the last change. */
  expiresAt: FirestoreTimestamp,
});
export type FreeAiUsageDoc = z.infer<typeof FreeAiUsageDoc>;

/** The states the Trigger Email extension records in `delivery.state`; SUCCESS and ERROR are final. */
export const MAIL_DELIVERY_STATES = ["PENDING", "PROCESSING", "RETRY", "SUCCESS", "ERROR"] as const;

/**
 * `mail/{id}`: the outbox in the shape the Trigger Email extension reads; server only. Hearth writes `to`,
 * `message` and `expiresAt` (the TTL field); the extension adds `delivery` as it sends.
 */
export const MailDoc = z.object({
  to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]),
  message: z.object({
    subject: z.string().min(1),
    text: z.string().optional(),
    html: z.string().optional(),
  }),
  expiresAt: FirestoreTimestamp,
  /** uid of the account whose action sent it (an inviter), so deleting that account deletes the email. */
  sentBy: z.string().min(1).optional(),
  delivery: z.object({ state: z.enum(MAIL_DELIVERY_STATES) }).optional(),
});
export type MailDoc = z.infer<typeof MailDoc>;
