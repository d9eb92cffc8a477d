/**
 * `npm run backup:local -- [<folder>] [--project <id|alias>]`: writes every document of a database (the
 * local stack by default) as an export in the official format, the one `npm run restore` loads. The
 * folder defaults to `.hearth/backups/<project>-<time>`.
 */
import "../stack/offline.js";
import path from "node:path";
import { ROOT_DIR } from "../stack/config.js";
import { log } from "../stack/log.js";
import { exportDatabase } from "./restore-export.js";
import {
  connect,
  describeTarget,
  ensureReachable,
  parseArgs,
  resolveProject,
  runCommand,
  UsageError,
} from "./target.js";

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), { values: ["--project"], flags: [] });
  if (args.positional.length > 1) throw new UsageError("name at most one folder");
  const target = connect(resolveProject(args.values.get("--project")), { useBigInt: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const dir = path.resolve(
    args.positional[0] ?? path.join(ROOT_DIR, ".hearth/backups", `${target.projectId}-${stamp}`),
  );
  try {
    await ensureReachable(target);
    log.info("backup", `exporting ${describeTarget(target)} to ${dir}`);
    const { documents, files } = await exportDatabase(target.db, dir, {
      project: target.projectId,
      toolVersion: "hearth-backup-local",
    });
    log.ok(
      "backup",
      `${documents} documents in ${files.length} output file(s); restore with npm run restore -- ${dir}`,
    );
  } finally {
    await target.close();
  }
}

runCommand("backup", "Usage: npm run backup:local -- [<folder>] [--project <id|alias>]", async () => {
  await main();
  return 0;
});
