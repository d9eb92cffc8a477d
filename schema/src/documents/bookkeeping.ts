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

/** `rateLimits/{key}`: one fixed-window counter, server only; `expiresAt` is the TTL field. */
export const RateLimitDoc = z.object({
  count: z.number().int().nonnegative(),
  windowStart: FirestoreTimestamp,
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
});
export type JobRunDoc = z.infer<typeof JobRunDoc>;

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
  delivery: z.object({ state: z.enum(MAIL_DELIVERY_STATES) }).optional(),
});
export type MailDoc = z.infer<typeof MailDoc>;
