/**
 * Pure rule for giving a repeated Checkout request its earlier session back (no Stripe, no Firestore).
 * A caller's last session per org and plan is kept with when it was created and a fingerprint of what it
 * sells (customer, price, quantity, trial, urls); the same request within ten minutes of that creation
 * gets it back. Measured from the session's own creation time, not in fixed clock buckets, so two requests
 * seconds apart always share a session.
 */
export const CHECKOUT_REUSE_MS = 10 * 60 * 1000;

export interface StoredCheckout {
  sessionId: string;
  createdAt: Date;
  fingerprint: string;
}

/** The stored session id to offer again, or null when a new session is needed. */
export function reusableCheckout(
  stored: StoredCheckout | null,
  fingerprint: string,
  now: Date,
): string | null {
  if (!stored || stored.fingerprint !== fingerprint) return null;
  const age = now.getTime() - stored.createdAt.getTime();
  return age >= 0 && age < CHECKOUT_REUSE_MS ? stored.sessionId : null;
}
