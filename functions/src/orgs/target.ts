import type { Role } from "@hearth/schema";
import type { Transaction } from "firebase-admin/firestore";
import { AppError } from "../lib/errors.js";
import type { OrgDeps } from "./deps.js";
import { memberRef } from "./paths.js";

/** Reads the member a callable acts on, inside its transaction; a missing one is `not-found`. */
export async function loadTarget(deps: OrgDeps, tx: Transaction, orgId: string, uid: string) {
  const ref = memberRef(deps.db, orgId, uid);
  const snap = await tx.get(ref);
  if (!snap.exists) throw new AppError("not-found", "No such member.", { reason: "member-not-found" });
  return { ref, uid, role: snap.get("role") as Role };
}
