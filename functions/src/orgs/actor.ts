import type { Role } from "@hearth/schema";
import type { Transaction } from "firebase-admin/firestore";
import { getAllTyped } from "../db/read.js";
import { type Doc, refs } from "../db/refs.js";
import type { Deps } from "../lib/deps.js";
import { checkMembership } from "../lib/guards.js";

export interface ActorInOrg {
  org: Doc<"org">;
  actor: { uid: string; role: Role };
}

/**
 * Reads the org and the caller's membership inside `tx`, so the role the decision rests on cannot change
 * before the transaction commits. Refuses non-members, deleted orgs and roles below `min` (lib/guards).
 */
export async function loadActor(
  deps: Deps,
  tx: Transaction,
  orgId: string,
  uid: string,
  min: Role = "viewer",
): Promise<ActorInOrg> {
  const [org, member] = await getAllTyped(tx, refs.org(deps.db, orgId), refs.member(deps.db, orgId, uid));
  const { role, org: data } = checkMembership(org.data(), member.data(), min);
  return { org: data, actor: { uid, role } };
}
