import { z } from "zod";
import { DocId } from "./orgs.js";

/** Longest prompt `aiGenerate` accepts, in characters; the cost estimate grows with it. */
export const AI_PROMPT_MAX_CHARS = 8_000;

/** Input of the `aiGenerate` callable. */
export const AiGenerateInput = z.strictObject({
  orgId: DocId,
  prompt: z
    .string()
    .max(AI_PROMPT_MAX_CHARS)
    .refine((s) => s.trim().length > 0, "Prompt must not be empty."),
  /** A model id from the org's plan (`entitlements.aiModels`); the plan's first model when omitted. */
  model: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9.-]*$/, "Unknown model id.")
    .optional(),
});
export type AiGenerateInput = z.infer<typeof AiGenerateInput>;

/** Tokens and cost one call was charged; all zero when the answer came from the cache. */
export const AiUsage = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** Micro-dollars (1 USD = 1,000,000). */
  costMicros: z.number().int().nonnegative(),
});
export type AiUsage = z.infer<typeof AiUsage>;

/** What the org has left this month before its hard caps, and whether it passed a soft cap. */
export const AiRemaining = z.object({
  /** The usage period, `yyyy-mm` in UTC. */
  period: z.string().regex(/^\d{4}-\d{2}$/),
  calls: z.number().int().nonnegative(),
  costMicros: z.number().int().nonnegative(),
  /** True once calls or cost reached a soft cap: still allowed, show a warning. */
  softCapReached: z.boolean(),
});
export type AiRemaining = z.infer<typeof AiRemaining>;

/** Output of the `aiGenerate` callable. */
export const AiGenerateOutput = z.object({
  text: z.string(),
  cached: z.boolean(),
  usage: AiUsage,
  remaining: AiRemaining,
});
export type AiGenerateOutput = z.infer<typeof AiGenerateOutput>;

/** One counter shard of `orgs/{orgId}/usage/{yyyy-mm}/shards/{n}`; members sum them to show usage. */
export const UsageShard = z.object({
  calls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costMicros: z.number().int(),
  /** In-flight reservations not yet settled. */
  reservedCalls: z.number().int(),
  reservedCostMicros: z.number().int(),
  /** This shard's slice of the hard caps; the slices sum to the caps below. */
  allotCalls: z.number().int(),
  allotCostMicros: z.number().int(),
  capCalls: z.number().int(),
  capCostMicros: z.number().int(),
});
export type UsageShard = z.infer<typeof UsageShard>;
