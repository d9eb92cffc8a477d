import { type EmptyOutput, LeaveOrgInput } from "@hearth/schema";
import { refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import { defineCallable } from "../lib/callable.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import type { Caller } from "../lib/guards.js";
import { loadActor } from "./actor.js";
import { decremented } from "./counters.js";
import { refusalError } from "./refusal.js";
import { leaveRefusal } from "./roles.js";

/** The caller leaves the org; the owner must transfer ownership (or delete the org) first. */
export async function leaveOrgHandler(
  deps: Deps,
  caller: Caller,
  input: LeaveOrgInput,
): Promise<EmptyOutput> {
  await deps.db.runTransaction(async (tx) => {
    const { org, actor } = await loadActor(deps, tx, input.orgId, caller.uid);
    const refusal = leaveRefusal(actor.role);
    if (refusal) throw refusalError(refusal);
    tx.delete(refs.member(deps.db, input.orgId, caller.uid));
    tx.update(refs.org(deps.db, input.orgId), { memberCount: decremented(org, "memberCount") });
    writeAudit(deps.db, tx, input.orgId, {
      actor: caller.uid,
      action: "member.left",
      target: `members/${caller.uid}`,
      before: { role: actor.role },
    });
  });
  return {};
}

export const leaveOrg = defineCallable("leaveOrg", {
  input: LeaveOrgInput,
  deps: liveDeps,
  handler: leaveOrgHandler,
});
