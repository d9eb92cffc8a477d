/**
 * `npm run validate-data -- [--project <id|alias>]`: checks every document of a database (the local
 * stack by default, or a real project with the team's credentials) against the schemas in schema/, and
 * lists the ones that do not parse by path and field. Exit code 1 when any does.
 */
import "./stack/offline.js";
import {
  connect,
  describeTarget,
  ensureReachable,
  parseArgs,
  resolveProject,
  runCommand,
  UsageError,
} from "./lifecycle/target.js";
import { formatReport, validateDatabase } from "./lifecycle/validate.js";
import { log } from "./stack/log.js";

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), { values: ["--project"], flags: [] });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument ${args.positional[0]}`);
  const target = connect(resolveProject(args.values.get("--project")));
  try {
    await ensureReachable(target);
    log.info("validate", `checking every document of ${describeTarget(target)}`);
    const report = await validateDatabase(target.db, {
      onProgress: (seen) => log.info("validate", `${seen} documents read…`),
    });
    const text = formatReport(report);
    if (report.invalid.length > 0) {
      log.error("validate", text);
      log.info("validate", "documents in an older shape are brought up to date with npm run migrate");
      return 1;
    }
    log.ok("validate", text);
    return 0;
  } finally {
    await target.close();
  }
}

runCommand("validate", "Usage: npm run validate-data -- [--project <id|alias>]", main);
