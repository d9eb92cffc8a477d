import { createHash } from "node:crypto";
import { type Firestore, Timestamp } from "firebase-admin/firestore";
import { refs } from "../db/refs.js";
import type { Clock } from "../lib/clock.js";
import { AppError } from "../lib/errors.js";
import { takeToken } from "./token-bucket.js";

/** `rateLimits/{key}`: one token bucket per (org, user, action); nobody reads them from clients. */
export function rateLimitKey(action: string, orgId: string, uid: string): string {
  return createHash("sha256")
    .update(JSON.stringify([action, orgId, uid]))
    .digest("hex")
    .slice(0, 40);
}

/**
 * Takes one token from the caller's bucket in a transaction, or refuses with `resource-exhausted`
 * (reason `rate-limit`) and `retryAfterSeconds`. The bucket document expires (TTL field `expiresAt`) once
 * it would be full again, when deleting it changes nothing.
 */
export async function takeRateLimit(
  deps: { db: Firestore; clock: Clock },
  limit: { action: string; orgId: string; uid: string; perMinute: number },
): Promise<void> {
  const ref = refs.rateLimit(deps.db, rateLimitKey(limit.action, limit.orgId, limit.uid));
  const nowMs = deps.clock.now().getTime();
  await deps.db.runTransaction(async (tx) => {
    const stored = (await tx.get(ref)).data();
    const bucket = stored ? { tokens: stored.tokens, updatedAtMs: stored.updatedAt.toMillis() } : undefined;
    const take = takeToken(bucket, nowMs, limit.perMinute);
    if (!take.allowed) {
      const retryAfterSeconds = Math.ceil(take.retryAfterMs / 1000);
      throw new AppError("resource-exhausted", `Too many requests. Try again in ${retryAfterSeconds} s.`, {
        reason: "rate-limit",
        retryAfterSeconds,
      });
    }
    const refillMs = ((limit.perMinute - take.next.tokens) / limit.perMinute) * 60_000;
    tx.set(ref, {
      tokens: take.next.tokens,
      updatedAt: Timestamp.fromMillis(nowMs),
      expiresAt: Timestamp.fromMillis(nowMs + Math.ceil(refillMs)),
    });
  });
}
