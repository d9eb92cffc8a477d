import { Timestamp } from "firebase-admin/firestore";
import * as functionsV1 from "firebase-functions/v1";
import { refs } from "../db/refs.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import { logEvent } from "../lib/logging.js";
import { REGION } from "../lib/runtime.js";

export interface NewUser {
  uid: string;
  email?: string | undefined;
  displayName?: string | undefined;
  photoURL?: string | undefined;
}

/**
 * Creates the profile `users/{uid}` for a new Auth user. A client may have created its profile first
 * (rules allow displayName and photoURL only), so the server fields are then added and the client's
 * choices kept. Auth events may be delivered twice; the second run changes nothing.
 */
export async function handleUserCreated(
  deps: Deps,
  user: NewUser,
): Promise<"created" | "completed" | "exists"> {
  const ref = refs.profile(deps.db, user.uid);
  const email = user.email?.toLowerCase() ?? null;
  const outcome = await deps.db.runTransaction(async (tx) => {
    const existing = (await tx.get(ref)).data();
    if (!existing) {
      tx.create(ref, {
        email,
        displayName: user.displayName ?? null,
        photoURL: user.photoURL ?? null,
        createdAt: Timestamp.fromDate(deps.clock.now()),
      });
      return "created" as const;
    }
    if (existing.createdAt != null) return "exists" as const;
    tx.update(ref, {
      email,
      createdAt: Timestamp.fromDate(deps.clock.now()),
      ...(existing.displayName === undefined ? { displayName: user.displayName ?? null } : {}),
      ...(existing.photoURL === undefined ? { photoURL: user.photoURL ?? null } : {}),
    });
    return "completed" as const;
  });
  logEvent("user.profile", { uid: user.uid, outcome });
  return outcome;
}

/** Auth "user created" is only offered by the v1 API (v2 has blocking functions only). */
export const onUserCreated = functionsV1
  .region(REGION)
  .auth.user()
  .onCreate((user) => handleUserCreated(liveDeps(), user));
