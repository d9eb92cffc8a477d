import { type DocumentReference, type Firestore, Timestamp } from "firebase-admin/firestore";
import { onSchedule } from "firebase-functions/scheduler";
import { refs } from "../db/refs.js";
import { type Bucket, defaultBucket } from "../files/records.js";
import { liveDeps } from "../lib/deps.js";
import { type JobHandler, runJob } from "../lib/job-run.js";
import { REGION } from "../lib/runtime.js";
import { orgRetentionDays } from "../orgs/settings.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 200;

export interface PurgeOptions {
  retentionDays: number;
  /** Documents and objects deleted per run at most; the next run resumes where this one stopped. */
  maxDeletes: number;
  /** The bucket holding the orgs' uploaded files; the project's default bucket when deployed. */
  bucket?: () => Bucket;
}

/**
 * Deletes the org's objects in the bucket (everything under `orgs/{orgId}/`), a page at a time, until
 * `budget` runs out. Returns false when objects remain. Each delete fires the file trigger, which finds the
 * record gone or removes it, so nothing is brought back.
 */
async function purgeObjects(bucket: Bucket, orgId: string, budget: { left: number }): Promise<boolean> {
  for (;;) {
    if (budget.left <= 0) return false;
    const [files] = await bucket.getFiles({
      prefix: `orgs/${orgId}/`,
      maxResults: Math.min(BATCH, budget.left),
      autoPaginate: false,
    });
    if (files.length === 0) return true;
    await Promise.all(files.map((file) => file.delete({ ignoreNotFound: true })));
    budget.left -= files.length;
  }
}

/**
 * Deletes one document's subcollections, depth first, in batches, until `budget` runs out. Collections
 * are discovered (listCollections), so data added by any feature is purged without a list to maintain.
 * Returns false when the budget ran out before the tree was empty.
 */
async function purgeChildren(
  db: Firestore,
  ref: DocumentReference,
  budget: { left: number },
): Promise<boolean> {
  for (const collection of await ref.listCollections()) {
    for (;;) {
      if (budget.left <= 0) return false;
      const size = Math.min(BATCH, budget.left);
      const page = await collection.limit(size).get();
      // Documents that do not exist but have subcollections are only visible through listDocuments;
      // once their subcollections are gone they drop out of it, so this loop ends.
      const children = page.empty
        ? (await collection.listDocuments()).slice(0, size)
        : page.docs.map((d) => d.ref);
      if (children.length === 0) break;
      for (const child of children) {
        if (!(await purgeChildren(db, child, budget))) return false;
      }
      const batch = db.batch();
      for (const child of children) batch.delete(child);
      await batch.commit();
      budget.left -= children.length;
    }
  }
  return true;
}

/**
 * Purges orgs soft-deleted more than `retentionDays` ago: their uploaded files first, then all their
 * subcollections. The org document goes last, so an interrupted purge is found again and resumed by the
 * next run.
 */
export function purgeDeletedOrgsWith(options: PurgeOptions): JobHandler {
  return async ({ db, clock }) => {
    const cutoff = Timestamp.fromMillis(clock.now().getTime() - options.retentionDays * DAY_MS);
    const budget = { left: options.maxDeletes };
    let purged = 0;
    let pending = 0;
    // Only ids and references are used: a due org is purged whatever its fields hold.
    const due = await refs.orgs(db).where("deletedAt", "<=", cutoff).orderBy("deletedAt").limit(20).get();
    // Resolved only when an org is due, so a run with nothing to purge needs no bucket.
    const bucket = due.empty ? undefined : (options.bucket ?? defaultBucket)();
    for (const org of due.docs) {
      const done =
        (await purgeObjects(bucket!, org.id, budget)) && (await purgeChildren(db, org.ref, budget));
      if (!done || budget.left <= 0) {
        pending++;
        break;
      }
      await org.ref.delete();
      budget.left--;
      purged++;
    }
    return { purged, pending, deleted: options.maxDeletes - budget.left };
  };
}

export const purgeDeletedOrgs: JobHandler = (deps) =>
  purgeDeletedOrgsWith({ retentionDays: orgRetentionDays(), maxDeletes: 5_000 })(deps);

export const scheduledPurgeDeletedOrgs = onSchedule(
  { schedule: "every 60 minutes", region: REGION },
  async () => {
    await runJob("purgeDeletedOrgs", purgeDeletedOrgs, liveDeps());
  },
);
