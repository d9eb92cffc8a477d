import { APP_URL, PAST_DUE_GRACE_DAYS, STRIPE_PRICE_PRO, STRIPE_PRICE_TEAM } from "../lib/params.js";
import type { PlanPrices } from "./plans.js";

/** Billing settings every billing handler receives, so tests pass their own. */
export interface BillingConfig {
  prices: PlanPrices;
  graceDays: number;
  appUrl: string;
}

/** Reads the billing params; call inside a handler, never at module load. */
export function billingConfigFromParams(): BillingConfig {
  return {
    prices: { pro: STRIPE_PRICE_PRO.value(), team: STRIPE_PRICE_TEAM.value() },
    graceDays: PAST_DUE_GRACE_DAYS.value(),
    appUrl: APP_URL.value(),
  };
}
