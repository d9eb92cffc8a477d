import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { refs } from "../db/refs.js";
import type { Deps } from "./deps.js";
import { logEvent, logFailure } from "./logging.js";

export interface JobResult {
  /** Counts of what the run did, for the jobRuns log (for example `{ purged: 3 }`). */
  [metric: string]: number;
}

export type JobHandler = (deps: Deps) => Promise<JobResult>;

/** How long a run's record is kept (TTL `expiresAt`): long enough to look back on a month of runs. */
export const JOB_RUN_RETENTION_DAYS = 30;

/**
 * Runs a scheduled job and records the run in `jobRuns/{id}`: start, end, outcome and counts. Jobs are
 * idempotent, so a failed run is simply retried by the next schedule.
 */
export async function runJob(name: string, handler: JobHandler, deps: Deps) {
  const ref = refs.jobRuns(deps.db).doc();
  const startedAt = deps.clock.now();
  const expiresAt = new Date(startedAt.getTime() + JOB_RUN_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  await ref.set({
    job: name,
    status: "running",
    startedAt: Timestamp.fromDate(startedAt),
    finishedAt: null,
    result: null,
    error: null,
    expiresAt: Timestamp.fromDate(expiresAt),
  });
  try {
    const result = await handler(deps);
    await ref.update({ status: "succeeded", finishedAt: FieldValue.serverTimestamp(), result });
    logEvent(`job.${name}.succeeded`, { runId: ref.id, ...result });
    return { runId: ref.id, result };
  } catch (err) {
    await ref.update({ status: "failed", finishedAt: FieldValue.serverTimestamp(), error: "job failed" });
    logFailure(`job.${name}.failed`, err, { runId: ref.id });
    throw err;
  }
}
