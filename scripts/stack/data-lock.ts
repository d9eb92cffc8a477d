import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Claims the data folder for this stack: two stacks saving into one folder on exit would overwrite each
 * other's documents and users. The claim is a file beside the folder (so --clean can empty the folder)
 * holding the owner's pid; a claim whose process is gone is taken over.
 */
export function lockDataDir(dataDir: string): { release(): void } {
  const file = `${dataDir.replace(/[\\/]+$/, "")}.lock`;
  mkdirSync(path.dirname(file), { recursive: true });
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const pid = Number(readFileSync(file, "utf8"));
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      throw new Error(
        `Another \`npm start\` (pid ${pid}) is using the data folder ${dataDir}. Stop it first, or give ` +
          "this stack its own folder with --data DIR (and other ports with the HEARTH_*_PORT variables).",
      );
    }
    rmSync(file, { force: true });
  }
  const release = () => {
    try {
      if (readFileSync(file, "utf8") === String(process.pid)) rmSync(file, { force: true });
    } catch {}
  };
  process.once("exit", release);
  return {
    release() {
      process.off("exit", release);
      release();
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
