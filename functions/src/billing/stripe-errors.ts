import Stripe from "stripe";
import { AppError } from "../lib/errors.js";
import { logFailure } from "../lib/logging.js";

/**
 * A Stripe failure as a short label (class and Stripe code) for logs and event records. Stripe's messages
 * can quote customer and subscription ids, so they are never kept.
 */
export function stripeErrorLabel(err: unknown): string {
  if (err instanceof Stripe.errors.StripeError) {
    const type = err.rawType ?? err.type;
    return err.code ? `${type}:${err.code}` : type;
  }
  return err instanceof Error ? err.name : "unknown";
}

/** True when retrying the same call later may succeed (network, rate limit, Stripe outage, lock timeout). */
export function isTransientStripeError(err: unknown): boolean {
  if (!(err instanceof Stripe.errors.StripeError)) return false;
  return (
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError ||
    (err.statusCode ?? 0) >= 500 ||
    err.statusCode === 409
  );
}

/**
 * What a callable answers when a Stripe call fails: `unavailable` without Stripe's details (its message
 * may quote ids), logged by label. Anything that is not a Stripe error is returned as is, so the callable
 * wrapper logs it and answers `internal`.
 */
export function fromStripeError(err: unknown): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  logFailure("billing.stripe.failed", stripeErrorLabel(err), { statusCode: err.statusCode ?? null });
  return new AppError("unavailable", "Billing is unavailable right now. Please try again.", {
    reason: "stripe",
    retryable: isTransientStripeError(err),
  });
}
