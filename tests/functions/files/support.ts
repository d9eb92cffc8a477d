import { randomBytes } from "node:crypto";
import { silentLogger, startEmulator } from "@hearth/emulator";
import type { Firestore } from "firebase-admin/firestore";
import firebaseFunctionsTest from "firebase-functions-test";
import { createRulesGate } from "../../../emulator/src/rules/index.js";
import type { Bucket } from "../../../functions/src/files/records.js";

/**
 * Hearth's emulator with Firestore and Storage for one test file. The environment is set before any
 * functions code runs, as the Functions emulator sets it for deployed code: firebase-admin finds both
 * emulators through FIRESTORE_EMULATOR_HOST and FIREBASE_STORAGE_EMULATOR_HOST, and the default bucket
 * (which the storage triggers also name when they are defined) through FIREBASE_CONFIG.
 */
export interface FilesTestEnv {
  projectId: string;
  bucketName: string;
  storageHost: string;
  db: Firestore;
  bucket: Bucket;
  fft: ReturnType<typeof firebaseFunctionsTest>;
  stop(): Promise<void>;
}

export async function startFilesTestEnv(): Promise<FilesTestEnv> {
  const emulator = await startEmulator({
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger,
    gate: createRulesGate(),
    storage: { port: 0 },
  });
  const projectId = `demo-${randomBytes(6).toString("hex")}`;
  const bucketName = `${projectId}.appspot.com`;
  const storageHost = `${emulator.host}:${emulator.storagePort}`;
  process.env.FIRESTORE_EMULATOR_HOST = `${emulator.host}:${emulator.port}`;
  process.env.FIREBASE_STORAGE_EMULATOR_HOST = storageHost;
  process.env.STORAGE_EMULATOR_HOST = `http://${storageHost}`;
  process.env.GCLOUD_PROJECT = projectId;
  process.env.FIREBASE_CONFIG = JSON.stringify({ projectId, storageBucket: bucketName });
  const fft = firebaseFunctionsTest({ projectId, storageBucket: bucketName });
  const { db } = await import("../../../functions/src/lib/firestore.js");
  const { defaultBucket } = await import("../../../functions/src/files/records.js");
  return {
    projectId,
    bucketName,
    storageHost,
    db: db(),
    bucket: defaultBucket(),
    fft,
    stop: async () => {
      fft.cleanup();
      await emulator.stop();
    },
  };
}

export function newId(prefix: string): string {
  return `${prefix}${randomBytes(5).toString("hex")}`;
}

/** A live org on `limits` (the free plan's file limits unless given), with an owner and a member. */
export async function seedFilesOrg(
  db: Firestore,
  limits: { storageBytes?: number; files?: number; fileMaxBytes?: number } = {},
  opts: { deleted?: boolean } = {},
): Promise<string> {
  const { getPlan } = await import("../../../functions/src/billing/plans.js");
  const orgId = newId("org");
  const batch = db.batch();
  batch.set(db.doc(`orgs/${orgId}`), {
    name: "Files org",
    settings: {},
    ownerUid: "ann",
    plan: "free",
    entitlements: { ...getPlan("free").entitlements, ...limits },
    billingStatus: "none",
    memberCount: 2,
    pendingInvites: 0,
    createdAt: new Date(),
    deletedAt: opts.deleted ? new Date() : null,
  });
  batch.set(db.doc(`orgs/${orgId}/members/ann`), { uid: "ann", role: "owner", email: "ann@example.com" });
  batch.set(db.doc(`orgs/${orgId}/members/val`), { uid: "val", role: "viewer", email: "val@example.com" });
  await batch.commit();
  return orgId;
}
