import * as functionsV1 from "firebase-functions/v1";
import { type Deps, liveDeps } from "../lib/deps.js";
import { logEvent } from "../lib/logging.js";
import { REGION } from "../lib/runtime.js";
import { removeUserData } from "./remove-user.js";

/**
 * Cleans up after an Auth user is deleted by any route (deleteMyAccount, the console, the Admin SDK):
 * memberships and profile go, owned orgs pass to a successor or are soft-deleted (remove-user.ts).
 */
export async function handleUserDeleted(deps: Deps, user: { uid: string; email?: string | undefined }) {
  const outcomes = await removeUserData(deps, user.uid, [user.email]);
  logEvent("user.deleted", { uid: user.uid, orgs: outcomes.length });
  return outcomes;
}

export const onUserDeleted = functionsV1
  .region(REGION)
  .auth.user()
  .onDelete((user) => handleUserDeleted(liveDeps(), user));
