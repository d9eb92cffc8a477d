import { v1 } from "firebase-admin/firestore";
import { getStorage } from "firebase-admin/storage";
import { defineString } from "firebase-functions/params";
import { onSchedule } from "firebase-functions/scheduler";
import { refs } from "../db/refs.js";
import { liveDeps } from "../lib/deps.js";
import { adminApp } from "../lib/firestore.js";
import { type JobHandler, runJob } from "../lib/job-run.js";
import { logEvent, logFailure } from "../lib/logging.js";
import { deployment } from "../lib/params.js";
import { isLocal } from "../lib/production-config.js";
import { REGION } from "../lib/runtime.js";

/** Cloud Storage bucket (name only, no gs://) that receives the daily export; per project. */
export const BACKUP_BUCKET = defineString("BACKUP_BUCKET", {
  description: "Cloud Storage bucket (name only) that receives the daily managed Firestore export",
});

/** Starts a managed export of a whole database; resolves with the long-running operation's name. */
export interface FirestoreExporter {
  exportAll(request: { database: string; outputUriPrefix: string }): Promise<string>;
}

/** Whether an object exists in a bucket. */
export interface ObjectStore {
  exists(bucket: string, object: string): Promise<boolean>;
}

export interface BackupConfig {
  projectId: string;
  bucket: string;
  exporter: FirestoreExporter;
  objects: ObjectStore;
}

/** Folder of one day's export: `firestore/2026-12-03` (UTC). A rerun the same day writes the same folder. */
export function exportFolder(day: Date): string {
  return `firestore/${day.toISOString().slice(0, 10)}`;
}

/** The file a managed export writes last, named after its folder: present only when the export finished. */
export function completionMarker(folder: string): string {
  return `${folder}/${folder.slice(folder.lastIndexOf("/") + 1)}.overall_export_metadata`;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Daily backup: checks that yesterday's export finished (its metadata file exists) and starts today's
 * managed export of the whole database. A missing or failed export is logged as an error (Error
 * Reporting opens an issue from it); an export that cannot start fails the run. Exports run for minutes
 * to hours, so the next run, not this one, sees how this one ended.
 */
export function backupFirestore(config: BackupConfig): JobHandler {
  return async ({ db, clock }) => {
    if (!config.bucket) {
      throw new Error("BACKUP_BUCKET is empty: set it in functions/.env.<project> to the bucket for exports");
    }
    const now = clock.now();
    const previous = exportFolder(new Date(now.getTime() - DAY_MS));
    // This run's own jobRuns record is already written; a second one means a backup ran before.
    const earlier = await refs.jobRuns(db).where("job", "==", "backupFirestore").limit(2).get();
    let previousMissing = 0;
    if (earlier.size > 1 && !(await config.objects.exists(config.bucket, completionMarker(previous)))) {
      previousMissing = 1;
      logFailure(
        "job.backupFirestore.previous-missing",
        new Error(`the export of gs://${config.bucket}/${previous} is missing or did not finish`),
        { bucket: config.bucket, folder: previous },
      );
    }
    const folder = exportFolder(now);
    const operation = await config.exporter.exportAll({
      database: `projects/${config.projectId}/databases/(default)`,
      outputUriPrefix: `gs://${config.bucket}/${folder}`,
    });
    logEvent("job.backupFirestore.started", { operation, folder, bucket: config.bucket });
    return { started: 1, previousMissing };
  };
}

/** The Admin API client and Cloud Storage of the deployed project. */
function liveBackupConfig(): BackupConfig {
  const client = new v1.FirestoreAdminClient();
  return {
    projectId: deployment().projectId,
    bucket: BACKUP_BUCKET.value(),
    exporter: {
      async exportAll({ database, outputUriPrefix }) {
        // An empty collection list exports every collection.
        const [operation] = await client.exportDocuments({
          name: database,
          outputUriPrefix,
          collectionIds: [],
        });
        return operation.name ?? "";
      },
    },
    objects: {
      async exists(bucket, object) {
        const [exists] = await getStorage(adminApp()).bucket(bucket).file(object).exists();
        return exists;
      },
    },
  };
}

/** Scheduled daily at 03:00 UTC; in the emulator and demo projects there is no export service, so it skips. */
export const scheduledBackupFirestore = onSchedule(
  { schedule: "every day 03:00", timeZone: "UTC", region: REGION },
  async () => {
    if (isLocal(deployment())) {
      logEvent("job.backupFirestore.skipped", {
        reason: "no managed export locally; use npm run backup:local",
      });
      return;
    }
    await runJob("backupFirestore", backupFirestore(liveBackupConfig()), liveDeps());
  },
);
