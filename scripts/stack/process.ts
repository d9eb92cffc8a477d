import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { ROOT_DIR } from "./config.js";
import { log } from "./log.js";

/**
 * Node's on-disk cache of compiled code (Node 22.1+; ignored by older ones), shared by every process of
 * the stack and their children: firebase-tools, its function discovery and each function worker load the
 * same large modules, and a restart loads them all again.
 */
const COMPILE_CACHE = path.join(ROOT_DIR, "node_modules", ".cache", "hearth-compile");

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /**
   * Asks the process to stop (SIGINT, so it can save its data), SIGKILL after `graceMs`; then kills what is
   * left of its process group (function workers that firebase-tools left behind).
   */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each output line; return false to keep it out of the terminal, or a string to show instead. */
  onLine?: (line: string) => string | false | undefined;
}

const running = new Set<ChildProcess>();
// If the stack exits without stopping its children, they must not outlive it. (A SIGKILL or a crash
// skips this: the watchdog covers those.)
process.once("exit", () => {
  for (const proc of running) killGroup(proc);
});

let watchdog: ChildProcess | undefined;

/**
 * Hands a child's process group to the watchdog (watchdog.mjs), started with the first child: when this
 * process ends, however it ends, its stdin pipe closes and the watchdog kills every group it was given.
 */
function guard(pgid: number): void {
  if (!watchdog) {
    watchdog = spawn(process.execPath, [fileURLToPath(new URL("watchdog.mjs", import.meta.url))], {
      stdio: ["pipe", "ignore", "inherit"],
      // Its own group, so a Ctrl-C meant for the stack does not end it first.
      detached: true,
    });
    // Neither it nor the pipe may keep this process alive.
    watchdog.unref();
    (watchdog.stdin as unknown as { unref(): void }).unref();
  }
  watchdog.stdin?.write(`${pgid}\n`);
}

/** SIGKILL to the child's whole process group (its pid: it was started as the group's leader). */
function killGroup(proc: ChildProcess): void {
  if (proc.pid === undefined) return;
  try {
    process.kill(-proc.pid, "SIGKILL");
  } catch {
    // The group is gone already.
  }
}

/** Starts a child whose output lines are shown prefixed with its name. */
export function spawnChild(name: string, command: string, args: string[], options: SpawnOptions): Child {
  // A process group of its own: Ctrl-C reaches only the stack, which then stops each child in order
  // (a second SIGINT would make firebase-tools quit without saving).
  const proc = spawn(command, args, {
    cwd: options.cwd,
    env: { NODE_COMPILE_CACHE: COMPILE_CACHE, ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  if (proc.pid !== undefined) guard(proc.pid);
  running.add(proc);
  for (const stream of [proc.stdout, proc.stderr]) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on("line", (text) => {
      const shown = options.onLine?.(text) ?? text;
      if (shown !== false && shown.trim() !== "") log.child(name, shown);
    });
  }
  const exited = new Promise<number | null>((resolve) => {
    proc.once("exit", (code) => {
      running.delete(proc);
      // The leader is gone; what it started must not stay.
      killGroup(proc);
      resolve(code);
    });
    proc.once("error", (err) => {
      log.error(name, `could not start: ${err.message}`);
      resolve(null);
    });
  });
  const stop = async (graceMs = 15_000) => {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      killGroup(proc);
      return;
    }
    proc.kill("SIGINT");
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, proc, exited, stop };
}
