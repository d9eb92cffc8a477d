import { type EmptyOutput, RemoveMemberInput } from "@hearth/schema";
import { refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import { defineCallable } from "../lib/callable.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import type { Caller } from "../lib/guards.js";
import { loadActor } from "./actor.js";
import { decremented } from "./counters.js";
import { refusalError } from "./refusal.js";
import { removeRefusal } from "./roles.js";
import { loadTarget } from "./target.js";

/** Removes a member; access ends on their next request, since rules read the member document. */
export async function removeMemberHandler(
  deps: Deps,
  caller: Caller,
  input: RemoveMemberInput,
): Promise<EmptyOutput> {
  await deps.db.runTransaction(async (tx) => {
    const { org, actor } = await loadActor(deps, tx, input.orgId, caller.uid, "admin");
    const target = await loadTarget(deps, tx, input.orgId, input.uid);
    const refusal = removeRefusal(actor, target);
    if (refusal) throw refusalError(refusal);
    tx.delete(target.ref);
    tx.update(refs.org(deps.db, input.orgId), { memberCount: decremented(org, "memberCount") });
    writeAudit(deps.db, tx, input.orgId, {
      actor: caller.uid,
      action: "member.removed",
      target: `members/${input.uid}`,
      before: { role: target.role },
    });
  });
  return {};
}

export const removeMember = defineCallable("removeMember", {
  input: RemoveMemberInput,
  deps: liveDeps,
  handler: removeMemberHandler,
});
