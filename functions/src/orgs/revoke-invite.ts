import { type EmptyOutput, RevokeInviteInput } from "@hearth/schema";
import { Timestamp } from "firebase-admin/firestore";
import { refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import { defineCallable } from "../lib/callable.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import { AppError } from "../lib/errors.js";
import type { Caller } from "../lib/guards.js";
import { loadActor } from "./actor.js";
import { decremented } from "./counters.js";
import { refusalError } from "./refusal.js";
import { inviteRefusal } from "./roles.js";

/** Revokes a pending invitation and frees its seat; revoking a revoked one again is a no-op. */
export async function revokeInviteHandler(
  deps: Deps,
  caller: Caller,
  input: RevokeInviteInput,
): Promise<EmptyOutput> {
  const ref = refs.invite(deps.db, input.orgId, input.inviteId);
  await deps.db.runTransaction(async (tx) => {
    const { org, actor } = await loadActor(deps, tx, input.orgId, caller.uid, "admin");
    const invite = (await tx.get(ref)).data();
    if (!invite) throw new AppError("not-found", "No such invitation.", { reason: "invite-not-found" });
    // Admins may only revoke what they could have sent: invitations to admin are the owner's.
    const refusal = inviteRefusal(actor.role, invite.role);
    if (refusal) throw refusalError(refusal);
    const { status } = invite;
    if (status === "revoked") return;
    if (status !== "pending") {
      throw new AppError("failed-precondition", `This invitation is ${status}, not pending.`, {
        reason: "invite-not-pending",
        status,
      });
    }
    tx.update(ref, {
      status: "revoked",
      revokedBy: caller.uid,
      revokedAt: Timestamp.fromDate(deps.clock.now()),
    });
    tx.update(refs.org(deps.db, input.orgId), { pendingInvites: decremented(org, "pendingInvites") });
    writeAudit(deps.db, tx, input.orgId, {
      actor: caller.uid,
      action: "invite.revoked",
      target: `invites/${input.inviteId}`,
      before: { status: "pending", email: invite.email },
      after: { status: "revoked" },
    });
  });
  return {};
}

export const revokeInvite = defineCallable("revokeInvite", {
  input: RevokeInviteInput,
  deps: liveDeps,
  handler: revokeInviteHandler,
});
