/**
 * Pure token bucket for per-user rate limits: `perMinute` tokens at most, refilled evenly over a minute,
 * so a user may burst up to the limit and then gets one call every 60/perMinute seconds.
 */
export interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

export type Take = { allowed: true; next: Bucket } | { allowed: false; retryAfterMs: number };

const MINUTE_MS = 60_000;

export function takeToken(bucket: Bucket | undefined, nowMs: number, perMinute: number): Take {
  const refillPerMs = perMinute / MINUTE_MS;
  // A clock that went backwards refills nothing rather than draining the bucket.
  const elapsed = bucket ? Math.max(0, nowMs - bucket.updatedAtMs) : Number.POSITIVE_INFINITY;
  const tokens = Math.min(perMinute, (bucket?.tokens ?? perMinute) + elapsed * refillPerMs);
  if (tokens >= 1) return { allowed: true, next: { tokens: tokens - 1, updatedAtMs: nowMs } };
  return { allowed: false, retryAfterMs: Math.ceil((1 - tokens) / refillPerMs) };
}
