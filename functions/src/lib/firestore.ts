import { getApps, initializeApp } from "firebase-admin/app";
import { type Firestore, getFirestore } from "firebase-admin/firestore";

let cached: Firestore | undefined;

/** The Admin Firestore client, initialised once per instance. */
export function db(): Firestore {
  if (!cached) {
    if (getApps().length === 0) initializeApp();
    cached = getFirestore();
    cached.settings({ ignoreUndefinedProperties: true });
  }
  return cached;
}
