import { type EmptyOutput, TransferOwnershipInput } from "@hearth/schema";
import { refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import { defineCallable } from "../lib/callable.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import type { Caller } from "../lib/guards.js";
import { loadActor } from "./actor.js";
import { refusalError } from "./refusal.js";
import { transferRefusal } from "./roles.js";
import { loadTarget } from "./target.js";

/**
 * Makes another member the owner; the previous owner becomes an admin. Both documents and the org's
 * ownerUid change in one transaction, so the org never has zero or two owners.
 */
export async function transferOwnershipHandler(
  deps: Deps,
  caller: Caller,
  input: TransferOwnershipInput,
): Promise<EmptyOutput> {
  await deps.db.runTransaction(async (tx) => {
    const { actor } = await loadActor(deps, tx, input.orgId, caller.uid);
    const refusal = transferRefusal(actor, input.uid);
    if (refusal) throw refusalError(refusal);
    const target = await loadTarget(deps, tx, input.orgId, input.uid);
    tx.update(target.ref, { role: "owner" });
    tx.update(refs.member(deps.db, input.orgId, caller.uid), { role: "admin" });
    tx.update(refs.org(deps.db, input.orgId), { ownerUid: input.uid });
    writeAudit(deps.db, tx, input.orgId, {
      actor: caller.uid,
      action: "org.ownership_transferred",
      target: `members/${input.uid}`,
      before: { ownerUid: caller.uid, role: target.role },
      after: { ownerUid: input.uid, previousOwnerRole: "admin" },
    });
  });
  return {};
}

export const transferOwnership = defineCallable("transferOwnership", {
  input: TransferOwnershipInput,
  deps: liveDeps,
  handler: transferOwnershipHandler,
});
