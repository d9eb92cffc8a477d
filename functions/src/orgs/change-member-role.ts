import { ChangeMemberRoleInput, type EmptyOutput } from "@hearth/schema";
import { writeAudit } from "../lib/audit.js";
import { defineCallable } from "../lib/callable.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import type { Caller } from "../lib/guards.js";
import { loadActor } from "./actor.js";
import { refusalError } from "./refusal.js";
import { changeRoleRefusal } from "./roles.js";
import { loadTarget } from "./target.js";

/** Gives a member another (non-owner) role; giving the role they already have changes nothing. */
export async function changeMemberRoleHandler(
  deps: Deps,
  caller: Caller,
  input: ChangeMemberRoleInput,
): Promise<EmptyOutput> {
  await deps.db.runTransaction(async (tx) => {
    const { actor } = await loadActor(deps, tx, input.orgId, caller.uid, "admin");
    const target = await loadTarget(deps, tx, input.orgId, input.uid);
    const refusal = changeRoleRefusal(actor, target, input.role);
    if (refusal) throw refusalError(refusal);
    if (target.role === input.role) return;
    tx.update(target.ref, { role: input.role });
    writeAudit(deps.db, tx, input.orgId, {
      actor: caller.uid,
      action: "member.role_changed",
      target: `members/${input.uid}`,
      before: { role: target.role },
      after: { role: input.role },
    });
  });
  return {};
}

export const changeMemberRole = defineCallable("changeMemberRole", {
  input: ChangeMemberRoleInput,
  deps: liveDeps,
  handler: changeMemberRoleHandler,
});
