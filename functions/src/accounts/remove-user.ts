import { Timestamp } from "firebase-admin/firestore";
import { getAllTyped } from "../db/read.js";
import { refs } from "../db/refs.js";
import { type AuditEntry, writeAudit } from "../lib/audit.js";
import type { Deps } from "../lib/deps.js";
import { decremented } from "../orgs/counters.js";
import { successor } from "../orgs/roles.js";
import { eraseAccountTraces } from "./erase.js";
import { membershipsOf } from "./memberships.js";

/** What happened to each org when a user's data was removed. */
export interface RemovalOutcome {
  orgId: string;
  outcome: "left" | "ownership-passed" | "org-deleted" | "already-gone";
}

/**
 * Removes a deleted account from every org and deletes its profile. In an org the user owned, the
 * longest-standing admin (else member, else viewer) becomes owner; an org with nobody left is
 * soft-deleted and purged after retention. Each org changes in its own transaction with an audit
 * entry by "system". Then every other trace of the uid and of the account's email addresses (`emails`
 * plus the profile's) is pseudonymized or deleted (erase.ts). Running it twice changes nothing more.
 */
export async function removeUserData(
  deps: Deps,
  uid: string,
  emails: readonly (string | null | undefined)[] = [],
): Promise<RemovalOutcome[]> {
  const outcomes: RemovalOutcome[] = [];
  for (const { orgId } of await membershipsOf(deps.db, uid)) {
    outcomes.push({ orgId, outcome: await removeFromOrg(deps, orgId, uid) });
  }
  const profile = refs.profile(deps.db, uid);
  const profileEmail = (await profile.get()).data()?.email;
  await profile.delete();
  const addresses = [...emails, profileEmail].filter(
    (e): e is string => typeof e === "string" && e.length > 0,
  );
  await eraseAccountTraces(deps.db, uid, addresses);
  return outcomes;
}

async function removeFromOrg(deps: Deps, orgId: string, uid: string): Promise<RemovalOutcome["outcome"]> {
  const org = refs.org(deps.db, orgId);
  const mine = refs.member(deps.db, orgId, uid);
  return deps.db.runTransaction(async (tx) => {
    const [orgSnap, memberSnap] = await getAllTyped(tx, org, mine);
    const [orgData, member] = [orgSnap.data(), memberSnap.data()];
    if (!member) return "already-gone";
    if (!orgData) {
      tx.delete(mine);
      return "already-gone";
    }
    const { role } = member;
    const memberCount = decremented(orgData, "memberCount");
    const audit = (entry: Omit<AuditEntry, "actor">) =>
      writeAudit(deps.db, tx, orgId, { actor: "system", ...entry });

    if (role !== "owner") {
      tx.delete(mine);
      tx.update(org, { memberCount });
      audit({
        action: "member.removed",
        target: `members/${uid}`,
        before: { role, reason: "account-deleted" },
      });
      return "left";
    }

    const members = await tx.get(refs.members(deps.db, orgId));
    const heir = successor(
      members.docs
        .filter((d) => d.id !== uid)
        .map((d) => ({ uid: d.id, role: d.data().role, joinedAtMillis: d.data().joinedAt.toMillis() })),
    );
    tx.delete(mine);
    if (heir) {
      tx.update(refs.member(deps.db, orgId, heir.uid), { role: "owner" });
      tx.update(org, { ownerUid: heir.uid, memberCount });
      audit({
        action: "org.ownership_transferred",
        target: `members/${heir.uid}`,
        before: { ownerUid: uid, role: heir.role },
        after: { ownerUid: heir.uid, reason: "account-deleted" },
      });
      return "ownership-passed";
    }
    const alreadyDeleted = orgData.deletedAt != null;
    tx.update(org, {
      memberCount,
      ...(alreadyDeleted ? {} : { deletedAt: Timestamp.fromDate(deps.clock.now()) }),
    });
    audit({
      action: "org.deleted",
      target: `orgs/${orgId}`,
      before: { ownerUid: uid },
      after: { reason: "account-deleted" },
    });
    return "org-deleted";
  });
}
