import { DeleteOrgInput, type EmptyOutput } from "@hearth/schema";
import { Timestamp } from "firebase-admin/firestore";
import { getAllTyped } from "../db/read.js";
import { refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import { defineCallable } from "../lib/callable.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import { AppError } from "../lib/errors.js";
import type { Caller } from "../lib/guards.js";
import { refusalError } from "./refusal.js";
import { deleteOrgRefusal } from "./roles.js";

/**
 * Soft-deletes an org: `deletedAt` is set, the rules make it read-only, and the purge job removes it
 * with all its data once the retention period has passed. A retry on a deleted org is a no-op.
 */
export async function deleteOrgHandler(
  deps: Deps,
  caller: Caller,
  input: DeleteOrgInput,
): Promise<EmptyOutput> {
  const ref = refs.org(deps.db, input.orgId);
  await deps.db.runTransaction(async (tx) => {
    // Not loadActor: it refuses deleted orgs, and a retried delete must succeed.
    const [orgSnap, memberSnap] = await getAllTyped(tx, ref, refs.member(deps.db, input.orgId, caller.uid));
    const [org, member] = [orgSnap.data(), memberSnap.data()];
    if (!org || !member) {
      throw new AppError("permission-denied", "You are not a member of this organization.");
    }
    const refusal = deleteOrgRefusal(member.role);
    if (refusal) throw refusalError(refusal);
    if (org.deletedAt != null) return;
    const deletedAt = Timestamp.fromDate(deps.clock.now());
    tx.update(ref, { deletedAt });
    writeAudit(deps.db, tx, input.orgId, {
      actor: caller.uid,
      action: "org.deleted",
      target: `orgs/${input.orgId}`,
      before: { deletedAt: null },
      after: { deletedAt: deletedAt.toDate().toISOString() },
    });
  });
  return {};
}

export const deleteOrg = defineCallable("deleteOrg", {
  input: DeleteOrgInput,
  deps: liveDeps,
  handler: deleteOrgHandler,
});
