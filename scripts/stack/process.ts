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
  /** Called with each output line; return false to keep it out of the terminal, or a string to show instead. */
  onLine?: (line: string) => string | false | undefined;
}

const running = new Set<ChildProcess>();
// Last resort if the stack dies without stopping its children: they must not outlive it.
process.once("exit", () => {
  for (const proc of running) proc.kill("SIGKILL");
});

/** Starts a child whose output lines are shown prefixed with its name. */
export function spawnChild(name: string, command: string, args: string[], options: SpawnOptions): Child {
  // A process group of its own: Ctrl-C reaches only the stack, which then stops each child in order
  // (a second SIGINT would make firebase-tools quit without saving).
  const proc = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(proc);
  proc.once("exit", () => running.delete(proc));
  for (const stream of [proc.stdout, proc.stderr]) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on("line", (text) => {
      const shown = options.onLine?.(text) ?? text;
      if (shown !== false && shown.trim() !== "") log.child(name, shown);
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
