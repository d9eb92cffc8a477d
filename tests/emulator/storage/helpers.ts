/**
 * A Firestore + Storage emulator for one storage test file, and the clients the tests use: the web SDK
 * (`firebase/storage`, optionally signed in) and firebase-admin's `getStorage().bucket()` through
 * FIREBASE_STORAGE_EMULATOR_HOST.
 */
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { type RunningEmulator, silentLogger, startEmulator } from "@hearth/emulator";
import { deleteApp, initializeApp } from "firebase/app";
import { connectStorageEmulator, type FirebaseStorage, getStorage } from "firebase/storage";
import type * as AdminApp from "firebase-admin/app";
import type * as AdminStorage from "firebase-admin/storage";

const requireFromFunctions = createRequire(new URL("../../../functions/package.json", import.meta.url));
const adminApp = requireFromFunctions("firebase-admin/app") as typeof AdminApp;
const adminStorage = requireFromFunctions("firebase-admin/storage") as typeof AdminStorage;

export interface StorageTestEmulator {
  emulator: RunningEmulator;
  host: string;
  /** Firestore's port. */
  port: number;
  storagePort: number;
  projectId: string;
  /** The project's default bucket, `<project>.appspot.com`. */
  bucket: string;
  stop(): Promise<void>;
}

export type StorageEmulatorOptions = {
  rulesSource?: string;
  dataDir?: string;
  firestoreRules?: string;
  functionsEmulator?: string;
  projectId?: string;
};

export async function startStorageEmulator(opts: StorageEmulatorOptions = {}): Promise<StorageTestEmulator> {
  const emulator = await startEmulator({
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger,
    ...(opts.firestoreRules !== undefined && { rulesSource: opts.firestoreRules }),
    ...(opts.functionsEmulator !== undefined && { functionsEmulator: opts.functionsEmulator }),
    storage: {
      port: 0,
      ...(opts.rulesSource !== undefined && { rulesSource: opts.rulesSource }),
      ...(opts.dataDir !== undefined && { dataDir: opts.dataDir }),
    },
  });
  const projectId = opts.projectId ?? `demo-${randomBytes(6).toString("hex")}`;
  return {
    emulator,
    host: emulator.host,
    port: emulator.port,
    storagePort: emulator.storagePort!,
    projectId,
    bucket: `${projectId}.appspot.com`,
    stop: () => emulator.stop(),
  };
}

let counter = 0;

export interface WebStorage {
  storage: FirebaseStorage;
  close(): Promise<void>;
}

/** The web SDK, signed in as `uid` (an unsigned emulator token) or as the rules-bypassing owner. */
export function webStorage(
  emu: StorageTestEmulator,
  opts: { uid?: string; owner?: boolean } = {},
): WebStorage {
  const app = initializeApp(
    { projectId: emu.projectId, apiKey: "fake-api-key", storageBucket: emu.bucket },
    `web-storage-${counter++}`,
  );
  const storage = getStorage(app);
  const mockUserToken = opts.owner ? "owner" : opts.uid ? { sub: opts.uid, user_id: opts.uid } : undefined;
  connectStorageEmulator(storage, emu.host, emu.storagePort, mockUserToken ? { mockUserToken } : {});
  return { storage, close: () => deleteApp(app) };
}

/**
 * firebase-admin's default bucket for the emulator's project. @google-cloud/storage reads the emulator
 * host from the environment when the client is built, so it is set for the file's process.
 */
export function adminBucket(
  emu: Pick<StorageTestEmulator, "host" | "storagePort" | "projectId" | "bucket">,
): {
  bucket: ReturnType<AdminStorage.Storage["bucket"]>;
  close(): Promise<void>;
} {
  process.env.FIREBASE_STORAGE_EMULATOR_HOST = `${emu.host}:${emu.storagePort}`;
  delete process.env.STORAGE_EMULATOR_HOST;
  const app = adminApp.initializeApp(
    { projectId: emu.projectId, storageBucket: emu.bucket },
    `admin-storage-${counter++}`,
  );
  return { bucket: adminStorage.getStorage(app).bucket(), close: () => adminApp.deleteApp(app) };
}

/** Storage rules that allow everything (to exercise behaviour apart from rules). */
export const OPEN_RULES = `rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /{allPaths=**} {
      allow read, write;
    }
  }
}`;
