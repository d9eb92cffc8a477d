import { Timestamp } from "firebase-admin/firestore";
import * as functionsV1 from "firebase-functions/v1";
import { logEvent } from "../lib/logging.js";
import { liveDeps, type OrgDeps } from "../orgs/deps.js";
import { userRef } from "../orgs/paths.js";

export interface NewUser {
  uid: string;
  email?: string | undefined;
  displayName?: string | undefined;
  photoURL?: string | undefined;
}

/**
 * Creates the profile `users/{uid}` for a new Auth user. Auth events may be delivered more than once,
 * so an existing profile is left as it is.
 */
export async function handleUserCreated(deps: OrgDeps, user: NewUser): Promise<"created" | "exists"> {
  const ref = userRef(deps.db, user.uid);
  const outcome = await deps.db.runTransaction(async (tx) => {
    if ((await tx.get(ref)).exists) return "exists" as const;
    tx.create(ref, {
      email: user.email?.toLowerCase() ?? null,
      displayName: user.displayName ?? null,
      photoURL: user.photoURL ?? null,
      createdAt: Timestamp.fromDate(deps.clock.now()),
    });
    return "created" as const;
  });
  logEvent("user.profile", { uid: user.uid, outcome });
  return outcome;
}

/** Auth "user created" is only offered by the v1 API (v2 has blocking functions only). */
export const onUserCreated = functionsV1
  .region("us-central1")
  .auth.user()
  .onCreate((user) => handleUserCreated(liveDeps(), user));
