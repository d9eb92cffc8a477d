import Stripe from "stripe";
import { STRIPE_API_BASE, STRIPE_SECRET_KEY } from "../lib/params.js";
import { requireProductionSettings } from "../lib/production-guard.js";

/**
 * The Stripe API version Hearth is written and tested against, sent as `Stripe-Version` on every request.
 * The webhook endpoint in the Stripe dashboard must use the same version, so events arrive in the shapes the
 * code reads. Typed as the installed SDK's version: upgrading `stripe` fails the build until this is bumped.
 */
export const STRIPE_API_VERSION: Stripe.LatestApiVersion = "2026-10-28.endive";

/**
 * Builds a Stripe client. `apiBase` empty means api.stripe.com; a URL such as http://127.0.0.1:12111 points
 * the SDK at a local fake. The SDK retries network failures and 409/5xx with the same idempotency key.
 */
export function createStripeClient(secretKey: string, apiBase = ""): Stripe {
  const config: ConstructorParameters<typeof Stripe>[1] = {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 2,
    timeout: 20_000,
  };
  if (apiBase) {
    const url = new URL(apiBase);
    config.protocol = url.protocol === "http:" ? "http" : "https";
    config.host = url.hostname;
    config.port = url.port || (url.protocol === "http:" ? "80" : "443");
  }
  return new Stripe(secretKey, config);
}

let cached: { key: string; base: string; client: Stripe } | undefined;

/**
 * The instance's Stripe client, from the STRIPE_SECRET_KEY secret and STRIPE_API_BASE. Call it inside a
 * handler of a function that lists STRIPE_SECRET_KEY in its `secrets`. Shared with usage/ai for metered
 * usage reports (`stripe().billing.meterEvents.create(...)`).
 */
export function stripe(): Stripe {
  const key = STRIPE_SECRET_KEY.value();
  const base = STRIPE_API_BASE.value();
  // Every Stripe caller passes here, the overage report included: none may reach a local fake in production.
  requireProductionSettings({ STRIPE_API_BASE: base });
  if (!cached || cached.key !== key || cached.base !== base) {
    cached = { key, base, client: createStripeClient(key, base) };
  }
  return cached.client;
}
