import type { Firestore } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type BackupConfig,
  backupFirestore,
  completionMarker,
  exportFolder,
} from "../../functions/src/jobs/backup-firestore.js";
import { runJob } from "../../functions/src/lib/job-run.js";
import { type LifecycleEnv, startLifecycleEnv } from "./support.js";

// Hearth logs through firebase-functions/logger; record its calls. Its error() level is what Error Reporting
// reads: given no Error object, it writes the message with a stack trace at severity ERROR.
const logged = vi.hoisted(() => [] as Array<{ level: string; args: unknown[] }>);
vi.mock("firebase-functions/logger", async (importOriginal) => {
  const real = await importOriginal<typeof import("firebase-functions/logger")>();
  const record =
    (level: string) =>
    (...args: unknown[]) => {
      logged.push({ level, args });
    };
  return { ...real, info: record("info"), warn: record("warn"), error: record("error") };
});

let env: LifecycleEnv;
let db: Firestore;

beforeAll(async () => {
  env = await startLifecycleEnv();
  db = env.target.db;
});
afterAll(async () => {
  await env.stop();
});

const DAY = (n: number) => new Date(Date.UTC(2026, 11, n, 3, 0, 5));

/** A fake Admin API and bucket: records export requests, holds the objects that "exist". */
function fakes(bucket = "hearth-backups") {
  const exports: Array<{ database: string; outputUriPrefix: string }> = [];
  const objects = new Set<string>();
  const config: BackupConfig = {
    projectId: "demo-backups",
    bucket,
    exporter: {
      exportAll: async (request) => {
        exports.push(request);
        return `projects/demo-backups/databases/(default)/operations/op-${exports.length}`;
      },
    },
    objects: { exists: async (b, object) => objects.has(`${b}/${object}`) },
  };
  return { config, exports, objects };
}

/** Error-level log calls made during `run`, as [message, fields]; the job's own outcome is checked apart. */
async function errorLogs(run: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  logged.length = 0;
  await run().catch(() => undefined);
  return logged
    .filter((l) => l.level === "error")
    .map((l) => ({ message: l.args[0], ...(l.args[1] as object) }));
}

async function lastRun(): Promise<Record<string, unknown>> {
  const runs = await db.collection("jobRuns").where("job", "==", "backupFirestore").get();
  return runs.docs.map((d) => d.data()).sort((a, b) => b.startedAt.toMillis() - a.startedAt.toMillis())[0]!;
}

describe("backupFirestore", () => {
  const { config, exports, objects } = fakes();

  it("starts a managed export of the whole database to the day's folder and records the run", async () => {
    const { result } = await runJob("backupFirestore", backupFirestore(config), {
      db,
      clock: { now: () => DAY(1) },
    });
    expect(result).toEqual({ started: 1, previousMissing: 0 });
    expect(exports).toEqual([
      {
        database: "projects/demo-backups/databases/(default)",
        outputUriPrefix: "gs://hearth-backups/firestore/2026-12-01",
      },
    ]);
    expect(await lastRun()).toMatchObject({
      status: "succeeded",
      result: { started: 1, previousMissing: 0 },
    });
  });

  it("checks that yesterday's export finished", async () => {
    objects.add(`hearth-backups/${completionMarker(exportFolder(DAY(1)))}`);
    expect(completionMarker(exportFolder(DAY(1)))).toBe(
      "firestore/2026-12-01/2026-12-01.overall_export_metadata",
    );
    const logs = await errorLogs(() =>
      runJob("backupFirestore", backupFirestore(config), { db, clock: { now: () => DAY(2) } }),
    );
    expect(logs).toEqual([]);
    expect(await lastRun()).toMatchObject({ result: { started: 1, previousMissing: 0 } });
  });

  it("logs an error Error Reporting picks up when the previous export is missing, and still backs up today", async () => {
    const logs = await errorLogs(() =>
      runJob("backupFirestore", backupFirestore(config), { db, clock: { now: () => DAY(4) } }),
    );
    const alert = logs.find((l) => l.event === "job.backupFirestore.previous-missing");
    expect(alert).toEqual({
      message: "job.backupFirestore.previous-missing",
      event: "job.backupFirestore.previous-missing",
      error: {
        name: "Error",
        message: "the export of gs://hearth-backups/firestore/2026-12-03 is missing or did not finish",
      },
      bucket: "hearth-backups",
      folder: "firestore/2026-12-03",
    });
    expect(exports.at(-1)?.outputUriPrefix).toBe("gs://hearth-backups/firestore/2026-12-04");
    expect(await lastRun()).toMatchObject({
      status: "succeeded",
      result: { started: 1, previousMissing: 1 },
    });
  });

  it("fails the run, with an error log, when the export cannot start", async () => {
    const failing: BackupConfig = {
      ...config,
      exporter: {
        exportAll: () => Promise.reject(new Error("7 PERMISSION_DENIED: missing datastore.databases.export")),
      },
    };
    const logs = await errorLogs(() =>
      runJob("backupFirestore", backupFirestore(failing), { db, clock: { now: () => DAY(5) } }),
    );
    expect(logs.find((l) => l.event === "job.backupFirestore.failed")).toMatchObject({
      error: { message: "7 PERMISSION_DENIED: missing datastore.databases.export" },
    });
    expect(await lastRun()).toMatchObject({ status: "failed", error: "job failed" });
  });

  it("refuses to run without a bucket", async () => {
    const { config: noBucket, exports: none } = fakes("");
    await expect(
      runJob("backupFirestore", backupFirestore(noBucket), { db, clock: { now: () => DAY(6) } }),
    ).rejects.toThrow("BACKUP_BUCKET is empty");
    expect(none).toEqual([]);
  });
});
