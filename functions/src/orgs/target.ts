import type { Transaction } from "firebase-admin/firestore";
import { refs } from "../db/refs.js";
import type { Deps } from "../lib/deps.js";
import { AppError } from "../lib/errors.js";

/** Reads the member a callable acts on, inside its transaction; a missing one is `not-found`. */
export async function loadTarget(deps: Deps, tx: Transaction, orgId: string, uid: string) {
  const ref = refs.member(deps.db, orgId, uid);
  const member = (await tx.get(ref)).data();
  if (!member) throw new AppError("not-found", "No such member.", { reason: "member-not-found" });
  return { ref, uid, role: member.role };
}
