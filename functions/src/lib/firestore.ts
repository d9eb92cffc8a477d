import { type App, getApps, initializeApp } from "firebase-admin/app";
import { type Firestore, getFirestore } from "firebase-admin/firestore";

const DEFAULT_APP = "[DEFAULT]";

/**
 * The default Admin app, created on first use. Looked up by name, not by `getApps().length`: the
 * deployed runtime (firebase-functions 7 under functions-framework) registers its own named app before
 * any handler runs, so "some app exists" does not mean the default one does.
 */
export function adminApp(): App {
  return getApps().find((app) => app.name === DEFAULT_APP) ?? initializeApp();
}

let cached: Firestore | undefined;

/** The Admin Firestore client, initialised once per instance. */
export function db(): Firestore {
  if (!cached) {
    cached = getFirestore(adminApp());
    cached.settings({ ignoreUndefinedProperties: true });
  }
  return cached;
}
