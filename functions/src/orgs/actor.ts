import type { Role } from "@hearth/schema";
import type { DocumentSnapshot, Transaction } from "firebase-admin/firestore";
import { checkMembership } from "../lib/guards.js";
import type { OrgDeps } from "./deps.js";
import { memberRef, orgRef } from "./paths.js";

export interface ActorInOrg {
  org: DocumentSnapshot;
  actor: { uid: string; role: Role };
}

/**
 * Reads the org and the caller's membership inside `tx`, so the role the decision rests on cannot change
 * before the transaction commits. Refuses non-members, deleted orgs and roles below `min` (lib/guards).
 */
export async function loadActor(
  deps: OrgDeps,
  tx: Transaction,
  orgId: string,
  uid: string,
  min: Role = "viewer",
): Promise<ActorInOrg> {
  const [org, member] = await tx.getAll(orgRef(deps.db, orgId), memberRef(deps.db, orgId, uid));
  const { role } = checkMembership(org, member, min);
  return { org: org!, actor: { uid, role } };
}
