import type { Entitlements, PaidPlanId, PlanId } from "@hearth/schema";
import { localPlanLimits } from "../lib/production-guard.js";

/**
 * The one plan config: PLANS holds the production limits, getPlan the limits this deployment applies.
 * Stripe price ids come from params at run time (see lib/params.ts), so this file holds only what a plan
 * is; the free plan needs no Stripe objects.
 */
export interface Plan {
  id: PlanId;
  name: string;
  /** How the subscription quantity is set: one per member ("per-seat") or always 1 ("flat"). */
  pricing: "free" | "flat" | "per-seat";
  trialDays: number;
  entitlements: Entitlements;
  /** Emails one org may send (invitations), over sliding windows; see getAccountLimits for per-person ones. */
  mail: { perHour: number; perDay: number };
}

const MICROS_PER_USD = 1_000_000;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Models every paid plan may call; ids from ai/providers/models.ts, the first is the default. */
const PAID_MODELS = ["gpt-4o-mini", "gpt-4o", "claude-haiku", "claude-sonnet", "gemini-flash"];

export const PLANS: Record<PlanId, Plan> = {
  free: {
    id: "free",
    name: "Free",
    pricing: "free",
    trialDays: 0,
    mail: { perHour: 10, perDay: 30 },
    entitlements: {
      seats: 3,
      projects: 3,
      storageBytes: 100 * MiB,
      files: 200,
      fileMaxBytes: 5 * MiB,
      aiCallsPerMonth: { soft: 80, hard: 100 },
      aiCostMicrosPerMonth: { soft: 1 * MICROS_PER_USD, hard: 2 * MICROS_PER_USD },
      aiModels: ["gpt-4o-mini", "claude-haiku", "gemini-flash"],
      aiCallsPerMinutePerUser: 5,
    },
  },
  pro: {
    id: "pro",
    name: "Pro",
    pricing: "flat",
    trialDays: 14,
    mail: { perHour: 30, perDay: 150 },
    entitlements: {
      seats: 10,
      projects: 50,
      storageBytes: 10 * GiB,
      files: 10_000,
      fileMaxBytes: 25 * MiB,
      aiCallsPerMonth: { soft: 4_000, hard: 5_000 },
      aiCostMicrosPerMonth: { soft: 40 * MICROS_PER_USD, hard: 50 * MICROS_PER_USD },
      aiModels: PAID_MODELS,
      aiCallsPerMinutePerUser: 30,
    },
  },
  team: {
    id: "team",
    name: "Team",
    pricing: "per-seat",
    trialDays: 14,
    mail: { perHour: 100, perDay: 500 },
    entitlements: {
      seats: 100,
      projects: 500,
      storageBytes: 100 * GiB,
      files: 100_000,
      fileMaxBytes: 25 * MiB,
      aiCallsPerMonth: { soft: 40_000, hard: 50_000 },
      aiCostMicrosPerMonth: { soft: 400 * MICROS_PER_USD, hard: 500 * MICROS_PER_USD },
      aiModels: PAID_MODELS,
      aiCallsPerMinutePerUser: 60,
    },
  },
};

export const FREE_PLAN_ID: PlanId = "free";

/** Limits per person (Auth account), whatever the plans of their orgs. */
export interface AccountLimits {
  /** Emails (invitations) one account may cause, across all its orgs. */
  mail: { perHour: number; perDay: number };
  /** Orgs one account may create. */
  orgsCreated: { perHour: number; perDay: number };
  /** Orgs one account may own at once (soft-deleted ones count until they are purged). */
  orgsOwned: number;
}

const PLANS_ACCOUNT_LIMITS: AccountLimits = {
  mail: { perHour: 30, perDay: 100 },
  orgsCreated: { perHour: 3, perDay: 5 },
  orgsOwned: 10,
};

/**
 * LOCAL_PLAN_LIMITS=small (emulator and demo projects only): every cap reached in seconds, yet the demo
 * seed (a Team org of four members with three invitations, three AI calls and a file; a free org of two)
 * fits. Each plan's AI rate limit is above its hard call cap, so the cap is reached within a minute and
 * the rate limit a few calls later; the cost caps fall to a few calls of a long prompt.
 */
const SMALL_PLANS: Record<PlanId, Plan> = {
  free: {
    ...PLANS.free,
    mail: { perHour: 3, perDay: 5 },
    entitlements: {
      ...PLANS.free.entitlements,
      seats: 3,
      projects: 2,
      storageBytes: 1 * MiB,
      files: 5,
      fileMaxBytes: MiB / 4,
      aiCallsPerMonth: { soft: 3, hard: 5 },
      aiCostMicrosPerMonth: { soft: 10_000, hard: 20_000 },
      aiCallsPerMinutePerUser: 10,
    },
  },
  pro: {
    ...PLANS.pro,
    mail: { perHour: 4, perDay: 6 },
    entitlements: {
      ...PLANS.pro.entitlements,
      seats: 4,
      projects: 3,
      storageBytes: 2 * MiB,
      files: 8,
      fileMaxBytes: MiB / 2,
      aiCallsPerMonth: { soft: 6, hard: 10 },
      aiCostMicrosPerMonth: { soft: 20_000, hard: 40_000 },
      aiCallsPerMinutePerUser: 15,
    },
  },
  team: {
    ...PLANS.team,
    mail: { perHour: 5, perDay: 8 },
    entitlements: {
      ...PLANS.team.entitlements,
      seats: 5,
      projects: 4,
      storageBytes: 4 * MiB,
      files: 12,
      fileMaxBytes: 1 * MiB,
      aiCallsPerMonth: { soft: 8, hard: 12 },
      aiCostMicrosPerMonth: { soft: 40_000, hard: 80_000 },
      aiCallsPerMinutePerUser: 20,
    },
  },
};

const SMALL_ACCOUNT_LIMITS: AccountLimits = {
  mail: { perHour: 6, perDay: 10 },
  orgsCreated: { perHour: 2, perDay: 3 },
  orgsOwned: 3,
};

/**
 * Limits per person (Auth account), whatever the plans of their orgs, so that opening more orgs does not
 * multiply them. The free plan's AI caps are one allowance per owning account, shared by all the free orgs
 * it owns (usage/meter.ts); paid orgs have their own. Read per use, like getPlan, so it follows
 * LOCAL_PLAN_LIMITS.
 */
export function getAccountLimits(): AccountLimits {
  return localPlanLimits() === "small" ? SMALL_ACCOUNT_LIMITS : PLANS_ACCOUNT_LIMITS;
}

/** A plan as this deployment applies it: from PLANS, or its small local variant (LOCAL_PLAN_LIMITS). */
export function getPlan(id: PlanId): Plan {
  return (localPlanLimits() === "small" ? SMALL_PLANS : PLANS)[id];
}

/** Stripe price id of each paid plan, read from params (STRIPE_PRICE_PRO, STRIPE_PRICE_TEAM) at run time. */
export type PlanPrices = Record<PaidPlanId, string>;

/** The plan a Stripe price belongs to, or undefined for a price Hearth does not sell. */
export function planForPrice(priceId: string | null, prices: PlanPrices): PlanId | undefined {
  if (!priceId) return undefined;
  return (Object.keys(prices) as PaidPlanId[]).find((plan) => prices[plan] === priceId);
}

/** Subscription quantity for a plan: the member count for per-seat plans (at least 1), else 1. */
export function quantityFor(plan: Plan, memberCount: number): number {
  return plan.pricing === "per-seat" ? Math.max(1, memberCount) : 1;
}
