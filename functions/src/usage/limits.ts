import {
  type DocumentReference,
  type Firestore,
  Timestamp,
  type Transaction,
} from "firebase-admin/firestore";
import { type Doc, refs } from "../db/refs.js";
import { AppError } from "../lib/errors.js";
import { DAY_MS, takeFromWindows, type WindowLimits } from "./windows.js";

/**
 * Where sliding-window logs live: `accountLimits/{uid}` per person and `orgLimits/{orgId}` per org, both
 * server only. Each field is a short list of event times; `expiresAt` (TTL) is a day after the
 * last event, when the logs no longer limit anything.
 */
export function accountLimitsRef(db: Firestore, uid: string): DocumentReference<Doc<"accountLimits">> {
  return refs.accountLimits(db, uid);
}

export function orgLimitsRef(db: Firestore, orgId: string): DocumentReference<Doc<"orgLimits">> {
  return refs.orgLimits(db, orgId);
}

type LimitsDoc = Doc<"accountLimits"> | Doc<"orgLimits">;

/** The event times logged in `field` (none when the document or the field is missing). */
function logOf(data: LimitsDoc | undefined, field: LimitedTake["field"]): number[] {
  if (!data) return [];
  if (field === "mail") return data.mail ?? [];
  return "orgsCreated" in data ? (data.orgsCreated ?? []) : [];
}

/** One limited action on one subject: the log `field` of `ref`, refused with `reason` past `limits`. */
export interface LimitedTake {
  ref: DocumentReference<LimitsDoc>;
  field: "mail" | "orgsCreated";
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
    const result = takeFromWindows(logOf(snaps[i]!.data(), take.field), nowMs, take.limits);
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
