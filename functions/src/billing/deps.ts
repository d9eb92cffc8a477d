import { systemClock } from "../lib/clock.js";
import { db } from "../lib/firestore.js";
import { billingConfigFromParams } from "./config.js";
import { stripe } from "./stripe-client.js";
import type { BillingDeps } from "./sync-subscription.js";

/** The real dependencies of a billing handler, built inside a deployed function from params and secrets. */
export function billingDeps(): BillingDeps {
  // The config first: its check names every misconfigured setting at once, stripe()'s only its own.
  const config = billingConfigFromParams();
  return { db: db(), stripe: stripe(), clock: systemClock, config };
}
