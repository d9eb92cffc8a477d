import { Entitlements, FileDoc, PlanId, paths, StorageUsageDoc } from "@hearth/schema";
import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { getStorage } from "firebase-admin/storage";
import { FREE_PLAN_ID, getPlan } from "../billing/plans.js";
import type { Clock } from "../lib/clock.js";
import { adminApp } from "../lib/firestore.js";
import { logEvent } from "../lib/logging.js";
import { type FileLimits, NO_USAGE, type StorageUsage } from "./quota.js";

/** A bucket as firebase-admin hands it out (@google-cloud/storage's, as its CommonJS build types it). */
export type Bucket = ReturnType<ReturnType<typeof getStorage>["bucket"]>;
export type StoredObject = ReturnType<Bucket["file"]>;

/** What the file triggers need; tests pass the emulator's bucket and their own clock. */
export interface FileDeps {
  db: Firestore;
  clock: Clock;
  bucket: Bucket;
}

/**
 * The project's default bucket (FIREBASE_CONFIG's storageBucket), the one the storage triggers listen to.
 * firebase-admin sends its requests to the Storage emulator when FIREBASE_STORAGE_EMULATOR_HOST is set.
 */
export function defaultBucket(): Bucket {
  return getStorage(adminApp()).bucket();
}

/** The documents one object's bookkeeping touches. */
export function fileRefs(db: Firestore, orgId: string, fileId: string) {
  return {
    org: db.doc(paths.org(orgId)),
    file: db.doc(paths.file(orgId, fileId)),
    usage: db.doc(paths.storageUsage(orgId)),
  };
}

/** The org's current storage usage; a missing document means nothing is stored yet. */
export function readUsage(snap: DocumentSnapshot): StorageUsage {
  return snap.exists ? StorageUsageDoc.parse(snap.data()) : NO_USAGE;
}

/** The size a file record accounts for, or null when there is no record. */
export function recordedSize(snap: DocumentSnapshot): number | null {
  return snap.exists ? FileDoc.parse(snap.data()).size : null;
}

/**
 * The org's file limits. A version-1 org (entitlements from before file limits, until migration 0001 fills
 * them) has its plan's; an org whose plan cannot be read gets the free plan's, never unlimited.
 */
export function fileLimitsOf(org: DocumentSnapshot): FileLimits {
  const parsed = Entitlements.safeParse(org.get("entitlements"));
  if (parsed.success) return parsed.data;
  logEvent("files.entitlements.missing", { orgId: org.id });
  const plan = getPlan(PlanId.catch(FREE_PLAN_ID).parse(org.get("plan"))).entitlements;
  const stored = Entitlements.pick({ storageBytes: true }).safeParse(org.get("entitlements"));
  return { ...plan, ...(stored.success ? stored.data : {}) };
}

/**
 * True when `generation` is still the live version of the object. A late or redelivered event about an
 * object deleted or overwritten since must not bring its record (and its bytes) back.
 */
export async function isLiveGeneration(bucket: Bucket, name: string, generation: string): Promise<boolean> {
  try {
    const [metadata] = await bucket.file(name).getMetadata();
    return String(metadata.generation) === generation;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return false;
    throw err;
  }
}
