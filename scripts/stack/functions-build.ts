import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type BuildContext, context, type OutputFile, type Plugin } from "esbuild";
// @ts-expect-error: the build definition is a plain .mjs module shared with `npm run build`.
import { buildOptions } from "../../functions/build.mjs";
import { log } from "./log.js";

/**
 * Writes the files of a build that differ from what is on disk, and only those: the Functions emulator
 * reloads every function (and restarts their workers) whenever functions/lib changes, so a start whose
 * sources did not change, or a save that changes nothing in the output, must leave lib/ untouched.
 * Returns whether anything was written.
 */
function writeChanged(files: OutputFile[]): boolean {
  let wrote = false;
  for (const file of files) {
    let current: Buffer | undefined;
    try {
      current = readFileSync(file.path);
    } catch {
      current = undefined;
    }
    if (current?.equals(file.contents)) continue;
    mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
    wrote = true;
  }
  return wrote;
}

/** Whether functions/lib holds a build (of whatever age). */
export function functionsBuilt(): boolean {
  return existsSync((buildOptions as { outfile: string }).outfile);
}

/**
 * Builds the functions once and then again on every change to their sources (schema included, since it
 * is bundled). A build error is printed plainly and the last good build keeps serving.
 */
export async function watchFunctions(): Promise<{ ok: boolean; stop(): Promise<void> }> {
  let first: ((ok: boolean) => void) | undefined;
  const firstBuild = new Promise<boolean>((resolve) => {
    first = resolve;
  });
  const report: Plugin = {
    name: "hearth-report",
    setup(build) {
      let builds = 0;
      build.onEnd((result) => {
        builds++;
        const ok = result.errors.length === 0;
        if (!ok) {
          log.error(
            "build",
            `functions failed to build (${result.errors.length} error(s)); the last good build keeps running:`,
          );
          for (const e of result.errors) {
            const where = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}` : "";
            log.error("build", `  ${where} ${e.text}`);
          }
        } else if (writeChanged(result.outputFiles ?? []) && builds > 1) {
          log.ok("build", "functions rebuilt; the Functions emulator reloads them");
        }
        first?.(ok);
        first = undefined;
      });
    },
  };
  const options = buildOptions as Parameters<typeof context>[0];
  const ctx: BuildContext = await context({
    ...options,
    write: false,
    plugins: [...(options.plugins ?? []), report],
  });
  await ctx.watch();
  const ok = await firstBuild;
  return { ok, stop: () => ctx.dispose() };
}
