import type { Firestore } from "firebase-admin/firestore";
import { onSchedule } from "firebase-functions/scheduler";
import { validData } from "../db/read.js";
import { parseFileObjectPath } from "../files/object-path.js";
import { type Bucket, defaultBucket, fileRefs, type StoredObject } from "../files/records.js";
import { liveDeps } from "../lib/deps.js";
import { type JobHandler, runJob } from "../lib/job-run.js";
import { logEvent } from "../lib/logging.js";
import { REGION } from "../lib/runtime.js";

/**
 * Why an object under `orgs/` is an orphan: its path is not `orgs/{orgId}/files/{fileId}` (no client can
 * reach it; storage.rules deny it), its org no longer exists, or no record describes this generation of it.
 */
export type OrphanReason = "unexpected-path" | "org-gone" | "no-record";

export interface OrphanOptions {
  bucket?: () => Bucket;
  /** Objects younger than this are skipped: their finalize event may still be on its way. */
  graceMinutes: number;
  /** Objects examined per run at most. */
  maxObjects: number;
  /** Orphans logged one by one per run at most (all are counted). */
  maxLogged: number;
}

const PAGE = 500;
const SOURCE = "findOrphanedFiles";

/**
 * Reports objects in the bucket that Hearth's bookkeeping does not account for: the run's counts go to
 * jobRuns, and each orphan is logged as `files.orphan` with its path and reason. Nothing is deleted: an
 * orphan is a bug or a half-finished purge to look at, and storage.rules already keep clients away from it.
 */
export function findOrphanedFilesWith(options: OrphanOptions): JobHandler {
  return async ({ db, clock }) => {
    const bucket = (options.bucket ?? defaultBucket)();
    const cutoff = clock.now().getTime() - options.graceMinutes * 60_000;
    const counts: Record<OrphanReason, number> = { "unexpected-path": 0, "org-gone": 0, "no-record": 0 };
    let scanned = 0;
    let recent = 0;
    let logged = 0;
    let pageToken: string | undefined;
    do {
      const [files, next] = await bucket.getFiles({
        prefix: "orgs/",
        maxResults: Math.min(PAGE, options.maxObjects - scanned),
        autoPaginate: false,
        ...(pageToken ? { pageToken } : {}),
      });
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
      scanned += files.length;
      const settled = files.filter((f) => Date.parse(String(f.metadata.timeCreated)) <= cutoff);
      recent += files.length - settled.length;
      for (const [file, reason] of await judge(db, settled)) {
        counts[reason]++;
        if (logged++ < options.maxLogged) {
          logEvent("files.orphan", { path: file.name, reason, size: Number(file.metadata.size ?? 0) });
        }
      }
    } while (pageToken && scanned < options.maxObjects);
    const orphaned = counts["unexpected-path"] + counts["org-gone"] + counts["no-record"];
    return {
      scanned,
      orphaned,
      unexpectedPath: counts["unexpected-path"],
      orgGone: counts["org-gone"],
      noRecord: counts["no-record"],
      skippedRecent: recent,
      complete: pageToken ? 0 : 1,
    };
  };
}

/** The orphans among one page of objects, with two batched reads (orgs, then records). */
async function judge(db: Firestore, files: StoredObject[]): Promise<[StoredObject, OrphanReason][]> {
  const orphans: [StoredObject, OrphanReason][] = [];
  const candidates: { file: StoredObject; refs: ReturnType<typeof fileRefs> }[] = [];
  for (const file of files) {
    const target = parseFileObjectPath(file.name);
    if (target) candidates.push({ file, refs: fileRefs(db, target.orgId, target.fileId) });
    else orphans.push([file, "unexpected-path"]);
  }
  if (candidates.length === 0) return orphans;
  const orgRefs = new Map(candidates.map((c) => [c.refs.org.path, c.refs.org]));
  // Only existence is read from the orgs; records are read through their schema.
  const orgs = new Map((await db.getAll(...orgRefs.values())).map((s) => [s.ref.path, s.exists]));
  const records = await db.getAll(...candidates.map((c) => c.refs.file));
  candidates.forEach(({ file, refs }, i) => {
    if (!orgs.get(refs.org.path)) orphans.push([file, "org-gone"]);
    else if (!records[i]!.exists) orphans.push([file, "no-record"]);
    else {
      // A record that does not fit its schema is logged by validData and not judged.
      const record = validData(records[i]!, SOURCE);
      if (record && record.generation !== String(file.metadata.generation)) orphans.push([file, "no-record"]);
    }
  });
  return orphans;
}

export const findOrphanedFiles: JobHandler = (deps) =>
  findOrphanedFilesWith({ graceMinutes: 60, maxObjects: 50_000, maxLogged: 100 })(deps);

export const scheduledFindOrphanedFiles = onSchedule(
  { schedule: "every day 04:30", region: REGION, timeoutSeconds: 540 },
  async () => {
    await runJob("findOrphanedFiles", findOrphanedFiles, liveDeps());
  },
);
