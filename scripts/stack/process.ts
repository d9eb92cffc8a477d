import { type ChildProcess, spawn } from "node:child_process";
import readline from "node:readline";
import { log } from "./log.js";

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Asks the process to stop (SIGINT, so it can save its data), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each output line; return false to keep it out of the terminal. */
  onLine?: (line: string) => boolean | undefined;
}

/** Starts a child whose output lines are shown prefixed with its name. */
export function spawnChild(name: string, command: string, args: string[], options: SpawnOptions): Child {
  const proc = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [proc.stdout, proc.stderr]) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on("line", (text) => {
      const show = options.onLine?.(text);
      if (show !== false && text.trim() !== "") log.child(name, text);
    });
  }
  const exited = new Promise<number | null>((resolve) => {
    proc.once("exit", (code) => resolve(code));
    proc.once("error", (err) => {
      log.error(name, `could not start: ${err.message}`);
      resolve(null);
    });
  });
  const stop = async (graceMs = 15_000) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill("SIGINT");
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, proc, exited, stop };
}
