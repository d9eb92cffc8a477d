import type { Entitlements, StorageUsageDoc } from "@hearth/schema";

/** What an org's files hold now: `orgs/{orgId}/usage/storage`. */
export type StorageUsage = StorageUsageDoc;

export const NO_USAGE: StorageUsage = { storageBytes: 0, files: 0 };

/** Why an upload was not admitted; storage.rules refuses the same three before the upload starts. */
export type FileRefusal = "file-too-large" | "storage-full" | "too-many-files";

export type FileLimits = Pick<Entitlements, "storageBytes" | "files" | "fileMaxBytes">;

export type Admission = { ok: true; usage: StorageUsage } | { ok: false; reason: FileRefusal };

/**
 * Pure: whether an object of `size` bytes fits the plan, and the usage once it is recorded. `replacedSize`
 * is the size of the record the object overwrites (same path, older generation), which it frees. Usage
 * never grows past a limit, but a change that shrinks it is admitted even when the org is already over
 * (after a downgrade).
 */
export function admitFile(
  limits: FileLimits,
  usage: StorageUsage,
  size: number,
  replacedSize: number | null,
): Admission {
  if (size > limits.fileMaxBytes) return { ok: false, reason: "file-too-large" };
  const next = {
    storageBytes: usage.storageBytes + size - (replacedSize ?? 0),
    files: usage.files + (replacedSize === null ? 1 : 0),
  };
  if (next.storageBytes > limits.storageBytes && next.storageBytes > usage.storageBytes) {
    return { ok: false, reason: "storage-full" };
  }
  if (next.files > limits.files && next.files > usage.files) return { ok: false, reason: "too-many-files" };
  return { ok: true, usage: next };
}

/** Pure: usage once a recorded file of `size` bytes is gone. */
export function releaseFile(usage: StorageUsage, size: number): StorageUsage {
  return {
    storageBytes: Math.max(0, usage.storageBytes - size),
    files: Math.max(0, usage.files - 1),
  };
}
