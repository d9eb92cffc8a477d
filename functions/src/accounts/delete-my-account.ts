import { DeleteMyAccountInput, type EmptyOutput } from "@hearth/schema";
import { getAuth } from "firebase-admin/auth";
import { refs } from "../db/refs.js";
import { defineCallable } from "../lib/callable.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import { AppError } from "../lib/errors.js";
import { adminApp } from "../lib/firestore.js";
import type { Caller } from "../lib/guards.js";
import { membershipsOf } from "./memberships.js";
import { removeUserData } from "./remove-user.js";

export interface DeleteAccountDeps extends Deps {
  /** Deletes the Firebase Auth user; an already deleted user is not an error. */
  deleteAuthUser: (uid: string) => Promise<void>;
}

/**
 * Deletes the caller's account: memberships, profile, then the Auth user (last, so a failed call can
 * be retried while the user can still sign in). An owner of an org that has other members is refused
 * until they transfer ownership; orgs where they are alone are soft-deleted.
 */
export async function deleteMyAccountHandler(
  deps: DeleteAccountDeps,
  caller: Caller,
  _input: DeleteMyAccountInput,
): Promise<EmptyOutput> {
  const owned = (await membershipsOf(deps.db, caller.uid)).filter((m) => m.role === "owner");
  const blocking: string[] = [];
  for (const { orgId } of owned) {
    const org = (await refs.org(deps.db, orgId).get()).data();
    if (org && org.deletedAt == null && org.memberCount > 1) blocking.push(orgId);
  }
  if (blocking.length > 0) {
    throw new AppError(
      "failed-precondition",
      "You own organizations with other members; transfer their ownership first.",
      { reason: "owns-orgs", orgIds: blocking },
    );
  }
  await removeUserData(deps, caller.uid, [caller.email]);
  await deps.deleteAuthUser(caller.uid);
  return {};
}

async function deleteAuthUser(uid: string): Promise<void> {
  try {
    await getAuth(adminApp()).deleteUser(uid);
  } catch (err) {
    if ((err as { code?: string }).code !== "auth/user-not-found") throw err;
  }
}

export const deleteMyAccount = defineCallable("deleteMyAccount", {
  input: DeleteMyAccountInput,
  deps: () => ({ ...liveDeps(), deleteAuthUser }),
  handler: deleteMyAccountHandler,
});
