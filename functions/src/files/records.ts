import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { getStorage } from "firebase-admin/storage";
import { type Doc, refs } from "../db/refs.js";
import type { Deps } from "../lib/deps.js";
import { adminApp } from "../lib/firestore.js";
import { NO_USAGE, type StorageUsage } from "./quota.js";

/** A bucket as firebase-admin hands it out (@google-cloud/storage's, as its CommonJS build types it). */
export type Bucket = ReturnType<ReturnType<typeof getStorage>["bucket"]>;
export type StoredObject = ReturnType<Bucket["file"]>;

/** What the file triggers need; tests pass the emulator's bucket and their own clock. */
export interface FileDeps extends Deps {
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
    org: refs.org(db, orgId),
    file: refs.file(db, orgId, fileId),
    usage: refs.storageUsage(db, orgId),
  };
}

/** The org's current storage usage; a missing document means nothing is stored yet. */
export function readUsage(snap: DocumentSnapshot<Doc<"storageUsage">>): StorageUsage {
  return snap.data() ?? NO_USAGE;
}

/** The size a file record accounts for, or null when there is no record. */
export function recordedSize(snap: DocumentSnapshot<Doc<"file">>): number | null {
  return snap.data()?.size ?? null;
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
