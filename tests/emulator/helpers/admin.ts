/**
 * firebase-admin 14 (the version Hearth's functions use, installed in functions/) pointed at a test
 * emulator without touching process.env: `settings({host, ssl:false})` makes it send `Bearer owner`
 * exactly as FIRESTORE_EMULATOR_HOST would.
 */
import { createRequire } from "node:module";
import type * as AdminApp from "firebase-admin/app";
import type * as AdminFirestore from "firebase-admin/firestore";
import type { TestEmulator } from "../../support/emulator.js";

const requireFromFunctions = createRequire(new URL("../../../functions/package.json", import.meta.url));
const app = requireFromFunctions("firebase-admin/app") as typeof AdminApp;
export const admin = requireFromFunctions("firebase-admin/firestore") as typeof AdminFirestore;

let counter = 0;

export function adminFirestore(
  emu: TestEmulator,
  projectId = emu.projectId,
  settings: AdminFirestore.Settings = {},
): AdminFirestore.Firestore {
  const instance = app.initializeApp({ projectId }, `admin-${projectId}-${counter++}`);
  const db = admin.getFirestore(instance);
  db.settings({ ...settings, host: `${emu.host}:${emu.port}`, ssl: false });
  return db;
}
