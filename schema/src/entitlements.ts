import { z } from "zod";

/** A monthly allowance: past `soft` the frontend warns; `hard` is never exceeded. */
export const Cap = z.object({
  soft: z.number().int().nonnegative(),
  hard: z.number().int().nonnegative(),
});
export type Cap = z.infer<typeof Cap>;

/**
 * What an org's plan allows. Written by the server on `orgs/{orgId}.entitlements` from the plan config
 * (functions/src/billing/plans.ts); every feature reads limits from here, never from the plan id.
 */
export const Entitlements = z.object({
  /** Members allowed, owner included. */
  seats: z.number().int().positive(),
  projects: z.number().int().nonnegative(),
  /** Bytes the org's uploaded files may hold in total. */
  storageBytes: z.number().int().nonnegative(),
  /** Uploaded files the org may hold. */
  files: z.number().int().nonnegative(),
  /** Largest single upload, at most LIMITS.fileMaxBytes (storage.rules' ceiling for every plan). */
  fileMaxBytes: z.number().int().nonnegative(),
  aiCallsPerMonth: Cap,
  /** AI spend per month in micro-dollars (1 USD = 1,000,000). */
  aiCostMicrosPerMonth: Cap,
  /** Model ids this plan may call. */
  aiModels: z.array(z.string()),
  /** AI calls one user may make per minute. */
  aiCallsPerMinutePerUser: z.number().int().positive(),
});
export type Entitlements = z.infer<typeof Entitlements>;

export const PLAN_IDS = ["free", "pro", "team"] as const;
export const PlanId = z.enum(PLAN_IDS);
export type PlanId = z.infer<typeof PlanId>;

/** Stripe subscription states, plus `none` for orgs that never subscribed. */
export const BILLING_STATUSES = [
  "none",
  "trialing",
  "active",
  "past_due",
  "unpaid",
  "canceled",
  "incomplete",
  "incomplete_expired",
  "paused",
] as const;
export const BillingStatus = z.enum(BILLING_STATUSES);
export type BillingStatus = z.infer<typeof BillingStatus>;
