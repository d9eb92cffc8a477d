import { createHash } from "node:crypto";
import { CreateOrgInput, type CreateOrgOutput } from "@hearth/schema";
import { Timestamp } from "firebase-admin/firestore";
import { FREE_PLAN_ID, getAccountLimits, getPlan } from "../billing/plans.js";
import { getAllTyped } from "../db/read.js";
import { refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import { defineCallable } from "../lib/callable.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import { AppError } from "../lib/errors.js";
import type { Caller } from "../lib/guards.js";
import { accountLimitsRef, takeLimits } from "../usage/limits.js";
import { newMember } from "./member-doc.js";

/**
 * With a `requestId`, the org id is derived from (caller, requestId): a retried call finds the org it
 * already created and answers the same id instead of creating a second org.
 */
export function orgIdFor(uid: string, requestId: string): string {
  return createHash("sha256").update(`${uid}\u0000${requestId}`).digest("base64url").slice(0, 20);
}

/**
 * Creates an org on the free plan with the caller as its owner and only member. An account may create
 * `orgsCreated` orgs per hour and per day and own `orgsOwned` at once (getAccountLimits; soft-deleted
 * ones count until purged); both are checked in the transaction that creates the org, which also writes the
 * account's limits document, so concurrent calls by one account are serialized and the limits exact. A
 * retried call (same requestId) finds its org and is not counted again.
 */
export async function createOrgHandler(
  deps: Deps,
  caller: Caller,
  input: CreateOrgInput,
): Promise<CreateOrgOutput> {
  const ref = input.requestId
    ? refs.org(deps.db, orgIdFor(caller.uid, input.requestId))
    : refs.orgs(deps.db).doc();
  const plan = getPlan(FREE_PLAN_ID);
  const limits = getAccountLimits();
  await deps.db.runTransaction(async (tx) => {
    const [existing, profile] = await getAllTyped(tx, ref, refs.profile(deps.db, caller.uid));
    if (existing.exists) return;
    const now = deps.clock.now();
    const recordCreation = await takeLimits(
      tx,
      [
        {
          ref: accountLimitsRef(deps.db, caller.uid),
          field: "orgsCreated",
          limits: limits.orgsCreated,
          reason: "org-create-limit",
          scope: "account",
        },
      ],
      now,
    );
    const owned = await tx.get(
      refs.orgs(deps.db).where("ownerUid", "==", caller.uid).limit(limits.orgsOwned),
    );
    if (owned.size >= limits.orgsOwned) {
      throw new AppError("resource-exhausted", `You already own ${owned.size} organizations.`, {
        reason: "orgs-owned-limit",
        scope: "account",
        limit: limits.orgsOwned,
      });
    }
    recordCreation();
    tx.create(ref, {
      name: input.name,
      settings: {},
      ownerUid: caller.uid,
      plan: plan.id,
      entitlements: plan.entitlements,
      billingStatus: "none",
      memberCount: 1,
      pendingInvites: 0,
      createdAt: Timestamp.fromDate(now),
      deletedAt: null,
    });
    tx.create(
      refs.member(deps.db, ref.id, caller.uid),
      newMember({
        uid: caller.uid,
        role: "owner",
        email: caller.email,
        displayName: profile.data()?.displayName,
        now,
        invitedBy: null,
      }),
    );
    writeAudit(deps.db, tx, ref.id, {
      actor: caller.uid,
      action: "org.created",
      target: `orgs/${ref.id}`,
      after: { name: input.name, plan: plan.id },
    });
  });
  return { orgId: ref.id };
}

export const createOrg = defineCallable("createOrg", {
  input: CreateOrgInput,
  deps: liveDeps,
  handler: createOrgHandler,
});
