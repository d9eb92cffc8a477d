import type { Bucket } from "../../../functions/src/files/records.js";
import { type OrgsTestEnv, seedOrg, startOrgsTestEnv } from "../orgs/support.js";

export { newId } from "../orgs/support.js";

/**
 * The orgs suites' environment (Hearth's emulator with Firestore and Storage, firebase-admin pointed at
 * both, FIREBASE_CONFIG naming the default bucket) plus that bucket, as the file triggers get it.
 */
export interface FilesTestEnv extends OrgsTestEnv {
  bucket: Bucket;
  bucketName: string;
}

export async function startFilesTestEnv(): Promise<FilesTestEnv> {
  const env = await startOrgsTestEnv();
  const { defaultBucket } = await import("../../../functions/src/files/records.js");
  const bucket = defaultBucket();
  return { ...env, bucket, bucketName: bucket.name };
}

/** A live org (or a soft-deleted one) of `ann` (owner) and `val` (viewer), with its file limits overridden. */
export async function seedFilesOrg(
  env: FilesTestEnv,
  limits: { storageBytes?: number; files?: number; fileMaxBytes?: number } = {},
  opts: { deleted?: boolean } = {},
): Promise<string> {
  const orgId = await seedOrg(env.db, { ann: "owner", val: "viewer" });
  const update: Record<string, unknown> = opts.deleted ? { deletedAt: new Date() } : {};
  for (const [name, value] of Object.entries(limits)) update[`entitlements.${name}`] = value;
  if (Object.keys(update).length > 0) await env.db.doc(`orgs/${orgId}`).update(update);
  return orgId;
}
