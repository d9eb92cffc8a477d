import {
  APP_URL,
  PAST_DUE_GRACE_DAYS,
  STRIPE_API_BASE,
  STRIPE_PRICE_PRO,
  STRIPE_PRICE_TEAM,
} from "../lib/params.js";
import { requireProductionSettings } from "../lib/production-guard.js";
import type { PlanPrices } from "./plans.js";

/** Billing settings every billing handler receives, so tests pass their own. */
export interface BillingConfig {
  prices: PlanPrices;
  graceDays: number;
  appUrl: string;
}

/**
 * Reads the billing params; call inside a handler, never at module load. In a real project it refuses
 * local values first: with an empty price, event processing would also downgrade that plan's paying
 * orgs to free.
 */
export function billingConfigFromParams(): BillingConfig {
  const settings = {
    APP_URL: APP_URL.value(),
    STRIPE_PRICE_PRO: STRIPE_PRICE_PRO.value(),
    STRIPE_PRICE_TEAM: STRIPE_PRICE_TEAM.value(),
    // Read by stripe-client.ts; checked here, where every billing function's dependencies are built.
    STRIPE_API_BASE: STRIPE_API_BASE.value(),
  };
  requireProductionSettings(settings);
  return {
    prices: { pro: settings.STRIPE_PRICE_PRO, team: settings.STRIPE_PRICE_TEAM },
    graceDays: PAST_DUE_GRACE_DAYS.value(),
    appUrl: settings.APP_URL,
  };
}
