/**
 * `npm run migrate -- [--dry-run] [--project <id|alias>] [--to <n>] [--task]`: runs the pending data
 * migrations (functions/src/migrations) in order against the local stack, or a real project with the
 * team's admin credentials. Progress is kept in `_migrations/{id}`, so a run that stops resumes where it
 * stopped. `--task` hands the work to the deployed `runMigrations` task queue instead (collections too
 * large for one process).
 */
import "./stack/offline.js";
import { MigrationError, runMigrations } from "../functions/src/migrations/runner.js";
import {
  connect,
  describeTarget,
  ensureReachable,
  parseArgs,
  resolveProject,
  runCommand,
  UsageError,
} from "./lifecycle/target.js";
import { dim, log } from "./stack/log.js";

const USAGE = `Usage: npm run migrate -- [--dry-run] [--project <id|alias>] [--to <n>] [--task]

  --dry-run   report what would change; write nothing
  --project   project id or .firebaserc alias (default: the local stack's demo project)
  --to <n>    stop after migration n (default: the newest)
  --task      enqueue the deployed runMigrations task to do the work in slices (real projects)`;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), {
    values: ["--project", "--to"],
    flags: ["--dry-run", "--task"],
  });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
  const toText = args.values.get("--to");
  const to = toText === undefined ? undefined : Number(toText);
  if (to !== undefined && !Number.isInteger(to))
    throw new UsageError(`--to needs a migration number, got ${toText}`);
  const dryRun = args.flags.has("--dry-run");
  const target = connect(resolveProject(args.values.get("--project")));
  try {
    await ensureReachable(target);
    if (args.flags.has("--task")) {
      if (dryRun || target.emulatorHost)
        throw new UsageError("--task starts the deployed task: real projects, no --dry-run");
      process.env.GCLOUD_PROJECT = target.projectId;
      // Loaded only here: the task module pulls in firebase-functions, which the other paths do not need.
      const { enqueueMigrationTask } = await import("../functions/src/migrations/task.js");
      await enqueueMigrationTask(to === undefined ? {} : { to });
      log.ok(
        "migrate",
        `queued runMigrations on ${target.projectId}; progress in _migrations and the function's logs`,
      );
      return 0;
    }
    log.info("migrate", `${dryRun ? "dry run on" : "migrating"} ${describeTarget(target)}`);
    const report = await runMigrations({
      db: target.db,
      ...(to === undefined ? {} : { to }),
      dryRun,
      onProgress: (p) =>
        log.info(
          "migrate",
          dim(
            `${String(p.id).padStart(4, "0")} ${p.collection}: ${p.scanned} read, ${p.changed} ${p.dryRun ? "to change" : "changed"}`,
          ),
        ),
    });
    if (report.migrations.length === 0) {
      log.ok("migrate", `nothing to do: the database is at migration ${report.from}`);
      return 0;
    }
    for (const m of report.migrations) {
      log.ok(
        "migrate",
        `${String(m.id).padStart(4, "0")} ${m.name}: ${m.scanned} read, ${m.changed} ${dryRun ? "would change" : "changed"} — ${m.description}`,
      );
      for (const e of m.examples) log.info("migrate", `  ${e.path} ${JSON.stringify(e.update)}`);
    }
    if (!dryRun) log.ok("migrate", `the database is at migration ${report.to}`);
    return 0;
  } finally {
    await target.close();
  }
}

runCommand("migrate", USAGE, main, (error) =>
  error instanceof MigrationError ? `refused (${error.reason}): ${error.message}` : undefined,
);
