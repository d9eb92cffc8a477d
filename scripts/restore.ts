/**
 * `npm run restore -- <export folder> [--project <demo-id>] [--replace]`: the restore drill. Loads a
 * Firestore export in the official format (a `gcloud firestore export` / scheduled backup folder copied
 * down with `gcloud storage cp -r`, or a `firebase emulators:export` folder) into the running local
 * stack, then checks document counts and schema validity. Only the local stack: a real project is
 * restored with `gcloud firestore import`.
 */
import "./stack/offline.js";
import { ExportFormatError } from "../emulator/src/export-format/errors.js";
import { restoreExport } from "./lifecycle/restore-export.js";
import {
  connect,
  describeTarget,
  ensureReachable,
  parseArgs,
  resolveProject,
  runCommand,
  type Target,
  UsageError,
} from "./lifecycle/target.js";
import { formatReport } from "./lifecycle/validate.js";
import { address, loadConfig } from "./stack/config.js";
import { log } from "./stack/log.js";

const USAGE = `Usage: npm run restore -- <export folder> [--project <demo-id>] [--replace]

  --replace   clear the local database first (by default restore refuses a database that has documents)`;

/**
 * The emulator hub in front of the Functions emulator, when the target is the stack's Firestore: restored
 * documents must not fire the functions' triggers (audit entries, member counts, Stripe event processing),
 * or the database would no longer match the backup.
 */
function hubFor(target: Target): string | null {
  if (process.env.FIREBASE_EMULATOR_HUB) return process.env.FIREBASE_EMULATOR_HUB;
  const stack = loadConfig([]);
  return target.emulatorHost === address(stack, "firestore") ? address(stack, "hub") : null;
}

/** Runs `load` with the Functions emulator's background triggers paused (rules-unit-testing's switch). */
async function withTriggersPaused<T>(hub: string | null, load: () => Promise<T>): Promise<T> {
  const toggle = async (what: "disable" | "enable") => {
    const res = await fetch(`http://${hub}/functions/${what}BackgroundTriggers`, { method: "PUT" });
    if (!res.ok)
      throw new Error(`could not ${what} the functions' triggers: HTTP ${res.status} ${await res.text()}`);
  };
  if (hub) {
    try {
      await toggle("disable");
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code !== "ECONNREFUSED") throw error;
      log.warn("restore", `no emulator hub at ${hub}: loading without pausing function triggers`);
      return load();
    }
    log.info("restore", "function triggers paused while documents load");
    try {
      return await load();
    } finally {
      await toggle("enable");
    }
  }
  return load();
}

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
    await ensureReachable(target);
    const replace = args.flags.has("--replace");
    if (!replace && (await target.db.listCollections()).length > 0) {
      throw new UsageError(`${projectId} already has documents; pass --replace to clear it first`);
    }
    log.info("restore", `loading ${dir} into ${describeTarget(target)}`);
    // The emulator's own clear-data endpoint (what rules-unit-testing's clearFirestore calls), used only
    // once the export has been read and found intact.
    const clear = async () => {
      const url = `http://${target.emulatorHost}/emulator/v1/projects/${projectId}/databases/(default)/documents`;
      const res = await fetch(url, { method: "DELETE" });
      if (!res.ok) throw new Error(`clearing ${projectId} failed: HTTP ${res.status} ${await res.text()}`);
    };
    const report = await withTriggersPaused(hubFor(target), () =>
      restoreExport(dir, target.db, {
        ...(replace ? { beforeWrite: clear } : {}),
        onProgress: (written, total) => log.info("restore", `${written}/${total} documents written`),
      }),
    );
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

runCommand("restore", USAGE, main, (error) =>
  error instanceof ExportFormatError ? `not restored: ${error.message}` : undefined,
);
