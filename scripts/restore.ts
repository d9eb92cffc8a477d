/**
 * `npm run restore -- <export folder> [--project <demo-id>] [--replace]`: the restore drill. Loads a
 * Firestore export in the official format (a `gcloud firestore export` / scheduled backup folder copied
 * down with `gcloud storage cp -r`, or a `firebase emulators:export` folder) into the running local
 * stack, then checks document counts and schema validity. Only the local stack: a real project is
 * restored with `gcloud firestore import`.
 */
import "./stack/offline.js";
import { ExportFormatError } from "./lifecycle/export-format/errors.js";
import { restoreExport } from "./lifecycle/restore-export.js";
import { connect, describeTarget, parseArgs, resolveProject, UsageError } from "./lifecycle/target.js";
import { formatReport } from "./lifecycle/validate.js";
import { log } from "./stack/log.js";

const USAGE = `Usage: npm run restore -- <export folder> [--project <demo-id>] [--replace]

  --replace   clear the local database first (by default restore refuses a database that has documents)`;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), { values: ["--project"], flags: ["--replace"] });
  const [dir, ...extra] = args.positional;
  if (!dir || extra.length > 0) throw new UsageError("name one export folder");
  const projectId = resolveProject(args.values.get("--project"));
  if (!projectId.startsWith("demo-")) {
    throw new UsageError(
      `restore loads into the local stack only; for ${projectId} use gcloud firestore import`,
    );
  }
  const target = connect(projectId, { useBigInt: true });
  try {
    if (args.flags.has("--replace")) {
      // The emulator's own clear-data endpoint (what rules-unit-testing's clearFirestore calls).
      const url = `http://${target.emulatorHost}/emulator/v1/projects/${projectId}/databases/(default)/documents`;
      const res = await fetch(url, { method: "DELETE" });
      if (!res.ok) throw new Error(`clearing ${projectId} failed: HTTP ${res.status} ${await res.text()}`);
    } else if ((await target.db.listCollections()).length > 0) {
      throw new UsageError(`${projectId} already has documents; pass --replace to clear it first`);
    }
    log.info("restore", `loading ${dir} into ${describeTarget(target)}`);
    const report = await restoreExport(dir, target.db, {
      onProgress: (written, total) => log.info("restore", `${written}/${total} documents written`),
    });
    for (const m of report.countMismatches) {
      log.error(
        "restore",
        `count mismatch at ${m.pattern}: export has ${m.expected}, database has ${m.found}`,
      );
    }
    const validation = formatReport(report.validation);
    if (report.validation.invalid.length > 0) log.error("restore", validation);
    else log.ok("restore", validation);
    if (report.countMismatches.length > 0 || report.validation.invalid.length > 0) return 1;
    log.ok(
      "restore",
      `${report.restored} documents restored; counts match the export and every document parses`,
    );
    return 0;
  } finally {
    await target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      log.error("restore", `${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    log.error(
      "restore",
      error instanceof ExportFormatError ? `not restored: ${error.message}` : String(error),
    );
    process.exit(1);
  },
);
