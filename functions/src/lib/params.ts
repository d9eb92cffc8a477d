import { defineBoolean, defineInt, defineSecret, defineString } from "firebase-functions/params";
import type { Deployment } from "./production-config.js";

/**
 * Every setting Hearth reads, in one place. Values come from `functions/.env` (production values for every
 * project), `functions/.env.<project>` (per-project values, from `functions/.env.project.example`) and, in
 * the emulator only, `functions/.env.local` (the local fakes, written by `npm start`); defaults only answer
 * an interactive deploy's prompt. Credentials are secrets (defineSecret) declared by the feature that uses
 * them, in its own block below. Read `.value()` only inside handlers.
 */

/** Where this code runs: firebase-tools sets GCLOUD_PROJECT, and FUNCTIONS_EMULATOR in its emulator. */
export function deployment(): Deployment {
  return {
    projectId: process.env.GCLOUD_PROJECT ?? "",
    emulated: process.env.FUNCTIONS_EMULATOR === "true",
  };
}

/** Public URL of the frontend; invite links and Stripe return URLs point here. Per project: no default. */
export const APP_URL = defineString("APP_URL", {
  description: "Public https URL of the frontend app (invite links, checkout return URLs)",
});

/** Days an invitation stays valid. */
export const INVITE_TTL_DAYS = defineInt("INVITE_TTL_DAYS", {
  default: 7,
  description: "Days before a pending invitation expires",
});

/** Days a soft-deleted org is kept before it is purged. */
export const ORG_RETENTION_DAYS = defineInt("ORG_RETENTION_DAYS", {
  default: 30,
  description: "Days a deleted organization is kept before its data is purged",
});

/**
 * Local stack only: "small" makes every plan and account limit small enough to reach in seconds (see
 * billing/plans.ts); empty keeps the plans' own. A real project ignores it (lib/production-guard.ts).
 */
export const LOCAL_PLAN_LIMITS = defineString("LOCAL_PLAN_LIMITS", {
  default: "",
  description:
    'Emulator and demo projects only: "small" for plan limits reached in seconds; empty for the plans\' own',
});

// billing

/** Stripe secret API key (sk_live_... or sk_test_...). */
export const STRIPE_SECRET_KEY = defineSecret("STRIPE_SECRET_KEY", {
  description: "Stripe secret API key used by checkout, portal, webhook processing and seat sync",
});

/** Signing secret of the Stripe webhook endpoint (whsec_...). */
export const STRIPE_WEBHOOK_SECRET = defineSecret("STRIPE_WEBHOOK_SECRET", {
  description: "Signing secret of the stripeWebhook endpoint, from the Stripe dashboard",
});

/** Stripe price id of the Pro plan (flat); per project, so no default. */
export const STRIPE_PRICE_PRO = defineString("STRIPE_PRICE_PRO", {
  description: "Stripe price id (price_...) of the flat-rate Pro plan",
});

/** Stripe price id of the Team plan (per seat); per project, so no default. */
export const STRIPE_PRICE_TEAM = defineString("STRIPE_PRICE_TEAM", {
  description: "Stripe price id (price_...) of the per-seat Team plan",
});

/** Base URL of the Stripe API; empty means api.stripe.com. Tests and the local stack point it at the fake. */
export const STRIPE_API_BASE = defineString("STRIPE_API_BASE", {
  default: "",
  description:
    "Stripe API base URL override, e.g. http://127.0.0.1:12111 for the local fake; empty for real Stripe",
});

/** Days a past_due org keeps its paid plan before it is downgraded to free. */
export const PAST_DUE_GRACE_DAYS = defineInt("PAST_DUE_GRACE_DAYS", {
  default: 7,
  description: "Days a past_due subscription keeps its plan before the org is downgraded",
});

// ai
/** Provider API keys; only the adapter for the provider in use reads its key, at call time. */
export const OPENAI_API_KEY = defineSecret("OPENAI_API_KEY");
export const ANTHROPIC_API_KEY = defineSecret("ANTHROPIC_API_KEY");
export const GEMINI_API_KEY = defineSecret("GEMINI_API_KEY");

/** "fake" sends every model to the OpenAI-compatible server at AI_BASE_URL; "live" uses each model's provider. */
export const AI_PROVIDER = defineString("AI_PROVIDER", {
  default: "live",
  description:
    'AI backend: "fake" (local OpenAI-compatible server at AI_BASE_URL) or "live" (real providers)',
  input: { select: { options: [{ value: "fake" }, { value: "live" }] } },
});

/** Where AI_PROVIDER=fake sends every model: the local fake provider. Unused with "live". */
export const AI_BASE_URL = defineString("AI_BASE_URL", {
  default: "",
  description: 'Base URL of the OpenAI-compatible server every model goes to when AI_PROVIDER is "fake"',
});

/** Whether aiGenerate refuses calls without a valid App Check token. */
export const ENFORCE_APP_CHECK = defineBoolean("ENFORCE_APP_CHECK", {
  default: false,
  description:
    "Refuse callable requests without a valid App Check token (and reused tokens on checkout, portal and AI)",
});

/** Per-attempt provider timeout; retries on 429/5xx each get a fresh one. */
export const AI_TIMEOUT_MS = defineInt("AI_TIMEOUT_MS", {
  default: 30_000,
  description: "Milliseconds one AI provider attempt may take before the call fails with deadline-exceeded",
});

/** Upper bound on generated tokens; it bounds the cost reserved before each call. */
export const AI_MAX_OUTPUT_TOKENS = defineInt("AI_MAX_OUTPUT_TOKENS", {
  default: 1024,
  description: "Most tokens one AI answer may contain",
});

/** How long an identical request is answered from the cache for free. */
export const AI_CACHE_TTL_SECONDS = defineInt("AI_CACHE_TTL_SECONDS", {
  default: 86_400,
  description: "Seconds an AI answer stays in the cache",
});

/** Stripe meter that receives AI cost above the soft cap, in cents, for plans that bill usage. */
export const AI_OVERAGE_METER_EVENT = defineString("AI_OVERAGE_METER_EVENT", {
  default: "hearth_ai_overage",
  description: "Stripe billing meter event name for AI overage (cents above the soft cost cap)",
});
