/**
 * Runs `npm start` as a user does, on ports, a project id and a data folder of its own, for the tests of
 * the stack's processes and the start bench. (tests/support/stack.ts starts the script directly and
 * hides its process; these callers need npm in front of it, and its pid.)
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { ROOT_DIR } from "./config.js";

export const PORT_NAMES = [
  "FIRESTORE",
  "STORAGE",
  "AUTH",
  "FUNCTIONS",
  "HUB",
  "CONSOLE",
  "LOGGING",
  "EVENTARC",
  "TASKS",
  "STRIPE",
  "AI",
] as const;

export type LaunchPorts = Record<(typeof PORT_NAMES)[number], number>;

/** Eleven consecutive ports from `base`, one per service. */
export function portsFrom(base: number): LaunchPorts {
  return Object.fromEntries(PORT_NAMES.map((name, i) => [name, base + i])) as LaunchPorts;
}

export interface LaunchedStack {
  /** npm's process (or the script's, with `npm: false`). */
  proc: ChildProcess;
  output(): string;
  /** Resolves once the stack printed "Hearth is ready"; rejects if it exits first. */
  ready: Promise<void>;
  exited: Promise<number | null>;
  /** Ctrl-C, as in a terminal (to npm's whole process group); resolves once every process of it ended. */
  interrupt(): Promise<void>;
}

export function launchStack(opts: {
  projectId: string;
  dataDir: string;
  ports: LaunchPorts;
  args?: string[];
  /** Through `npm start` (the default) or the script directly. */
  npm?: boolean;
}): LaunchedStack {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HEARTH_PROJECT: opts.projectId,
    HEARTH_DATA_DIR: opts.dataDir,
  };
  for (const [name, port] of Object.entries(opts.ports)) env[`HEARTH_${name}_PORT`] = String(port);
  delete env.FIRESTORE_EMULATOR_HOST;
  const args = opts.args ?? [];
  const [command, argv] =
    opts.npm === false
      ? [process.execPath, ["--import", "tsx", "scripts/start.ts", ...args]]
      : ["npm", ["start", "--silent", "--", ...args]];
  // A process group of its own, as a terminal gives a command: Ctrl-C goes to the whole group.
  const proc = spawn(command, argv, {
    cwd: ROOT_DIR,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (/^Hearth is ready$/m.test(out)) resolve();
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    void exited.then((code) => reject(new Error(`the stack exited (${code}) before it was ready:\n${out}`)));
  });
  return {
    proc,
    output: () => out,
    ready,
    exited,
    interrupt: async () => {
      const group = proc.pid;
      if (group === undefined) return;
      if (proc.exitCode === null && proc.signalCode === null) process.kill(-group, "SIGINT");
      // npm exits on the signal at once; the stack only once it has stopped and saved.
      while (listProcesses().some((p) => p.pgid === group)) await new Promise((r) => setTimeout(r, 200));
    },
  };
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  args: string;
}

/** Every process on the machine, as `ps` lists it. */
export function listProcesses(): ProcessInfo[] {
  const ps = spawnSync("ps", ["-A", "-o", "pid=,ppid=,pgid=,args="], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), pgid: Number(m[3]), args: m[4]! }));
}

/** `root` and every process below it. */
export function processTree(root: number, all = listProcesses()): ProcessInfo[] {
  const found = all.filter((p) => p.pid === root);
  for (let i = 0; i < found.length; i++) {
    for (const p of all) if (p.ppid === found[i]!.pid) found.push(p);
  }
  return found;
}

/** firebase-tools' function worker processes among `processes`. */
export function functionWorkers(processes: ProcessInfo[]): ProcessInfo[] {
  return processes.filter((p) => p.args.includes("functionsEmulatorRuntime"));
}
