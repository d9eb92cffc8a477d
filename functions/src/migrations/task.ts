import type { Firestore } from "firebase-admin/firestore";
import { getFunctions } from "firebase-admin/functions";
import { onTaskDispatched } from "firebase-functions/tasks";
import { z } from "zod";
import { adminApp, db } from "../lib/firestore.js";
import { logEvent } from "../lib/logging.js";
import { REGION } from "../lib/runtime.js";
import type { Migration } from "./migration.js";
import { type RunReport, runMigrations } from "./runner.js";

/** The deployed function's id: the export name in index.ts, which the task queue is named after. */
export const MIGRATION_TASK_FUNCTION = "runMigrations";

/** Documents one task reads before it hands over to the next: well inside the 9-minute timeout. */
export const DOCUMENTS_PER_TASK = 20_000;

/** One owner for the whole chain, so a retried task takes over its own lease at once. */
const TASK_OWNER = "task-queue";

/** The task's payload: the migration to stop after (the newest when absent). */
export const MigrationTaskInput = z.strictObject({ to: z.number().int().positive().optional() });
export type MigrationTaskInput = z.infer<typeof MigrationTaskInput>;

export interface MigrationTaskDeps {
  db: Firestore;
  /** The registry (functions/src/migrations/registry.ts) unless a test passes its own. */
  migrations?: readonly Migration[];
  /** Queues the next slice; the deployed one goes through Cloud Tasks. */
  enqueue(input: MigrationTaskInput): Promise<void>;
}

/**
 * One slice of a migration run too large for one process: it works through up to DOCUMENTS_PER_TASK
 * documents from the progress recorded in `_migrations`, then queues the next slice until done.
 */
export async function migrationSlice(
  deps: MigrationTaskDeps,
  input: MigrationTaskInput,
  maxDocuments = DOCUMENTS_PER_TASK,
): Promise<RunReport> {
  const report = await runMigrations({
    db: deps.db,
    migrations: deps.migrations,
    to: input.to,
    maxDocuments,
    owner: TASK_OWNER,
  });
  for (const m of report.migrations) {
    logEvent("migration.slice", {
      id: m.id,
      name: m.name,
      status: m.status,
      scanned: m.scanned,
      changed: m.changed,
    });
  }
  if (!report.finished) await deps.enqueue(input);
  return report;
}

/** Queues a slice of the deployed task; the CLI (`npm run migrate -- --task`) starts a chain this way. */
export async function enqueueMigrationTask(input: MigrationTaskInput): Promise<void> {
  await getFunctions(adminApp())
    .taskQueue<MigrationTaskInput>(`locations/${REGION}/functions/${MIGRATION_TASK_FUNCTION}`)
    .enqueue(input);
}

/** Deployed as `runMigrations`: one slice at a time (maxConcurrentDispatches 1), retried with backoff. */
export const runMigrationsTask = onTaskDispatched<MigrationTaskInput>(
  {
    region: REGION,
    timeoutSeconds: 540,
    memory: "1GiB",
    retryConfig: { maxAttempts: 5, minBackoffSeconds: 60 },
    rateLimits: { maxConcurrentDispatches: 1 },
  },
  async (request) => {
    await migrationSlice({ db: db(), enqueue: enqueueMigrationTask }, MigrationTaskInput.parse(request.data));
  },
);
