import {
  type DocumentReference,
  type Firestore,
  Timestamp,
  type Transaction,
} from "firebase-admin/firestore";
import { AppError } from "../lib/errors.js";
import { DAY_MS, takeFromWindows, type WindowLimits } from "./windows.js";

/**
 * Where sliding-window logs live: `accountLimits/{uid}` per person and `orgLimits/{orgId}` per org, both
 * server only. Each field is a short list of event times; `expiresAt` (TTL) is a day after the
 * last event, when the logs no longer limit anything.
 */
export const ACCOUNT_LIMITS_COLLECTION = "accountLimits";
export const ORG_LIMITS_COLLECTION = "orgLimits";

export function accountLimitsRef(db: Firestore, uid: string): DocumentReference {
  return db.collection(ACCOUNT_LIMITS_COLLECTION).doc(uid);
}

export function orgLimitsRef(db: Firestore, orgId: string): DocumentReference {
  return db.collection(ORG_LIMITS_COLLECTION).doc(orgId);
}

/** One limited action on one subject: the log `field` of `ref`, refused with `reason` past `limits`. */
export interface LimitedTake {
  ref: DocumentReference;
  field: string;
  limits: WindowLimits;
  reason: "mail-limit" | "org-create-limit";
  scope: "account" | "org";
}

/**
 * Checks every take in the transaction's read phase and refuses the first one over a limit with
 * `resource-exhausted` (details: reason, scope, window, limit, retryAfterSeconds); the returned function
 * records them all, to be called in the write phase.
 */
export async function takeLimits(
  tx: Transaction,
  takes: readonly LimitedTake[],
  now: Date,
): Promise<() => void> {
  const nowMs = now.getTime();
  const snaps = await tx.getAll(...takes.map((t) => t.ref));
  const logs = takes.map((take, i) => {
    const logged = snaps[i]!.get(take.field);
    const result = takeFromWindows(Array.isArray(logged) ? logged : [], nowMs, take.limits);
    if (!result.ok) {
      const { window, limit, retryAfterSeconds } = result;
      throw new AppError("resource-exhausted", `Limit reached: ${limit} per ${window}. Try again later.`, {
        reason: take.reason,
        scope: take.scope,
        window,
        limit,
        retryAfterSeconds,
      });
    }
    return result.log;
  });
  return () => {
    const expiresAt = Timestamp.fromMillis(nowMs + DAY_MS);
    takes.forEach((take, i) => {
      tx.set(take.ref, { [take.field]: logs[i], expiresAt }, { merge: true });
    });
  };
}
