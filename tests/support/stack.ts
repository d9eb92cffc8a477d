import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Ports well away from the defaults, so a developer's own `npm start` can keep running during tests. */
export const E2E_PORTS = {
  FIRESTORE: 18080,
  STORAGE: 19189,
  AUTH: 19099,
  FUNCTIONS: 15001,
  HUB: 14400,
  CONSOLE: 14000,
  LOGGING: 14500,
  EVENTARC: 19299,
  TASKS: 19499,
  STRIPE: 22111,
  AI: 22112,
} as const;

export type StackPorts = { readonly [K in keyof typeof E2E_PORTS]: number };

export interface StackProcess {
  projectId: string;
  host: string;
  ports: StackPorts;
  dataDir: string;
  /** Everything the stack printed so far. */
  output(): string;
  /** Sends Ctrl-C (SIGINT) and waits for the stack to exit; returns its exit code. */
  stop(): Promise<number | null>;
}

/**
 * One stack process at a time per checkout, across vitest workers: every stack writes the functions'
 * build (functions/lib) and their emulator settings (functions/.env.local, which names its fake Stripe
 * and AI ports), so a second stack started meanwhile would point the first one's functions at its own
 * fakes. A stack waits here until the one before it has stopped; a lock left by a dead process is taken.
 */
const LOCK = path.join(
  os.tmpdir(),
  `hearth-stack-${createHash("sha256").update(ROOT).digest("hex").slice(0, 12)}.lock`,
);

function lockHolderGone(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(LOCK, "pid"), "utf8"));
  } catch {
    return false; // just taken, its pid not yet written
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export async function takeStackLock(): Promise<() => void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (lockHolderGone()) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    writeFileSync(path.join(LOCK, "pid"), String(process.pid));
    const release = () => rmSync(LOCK, { recursive: true, force: true });
    process.once("exit", release);
    return () => {
      process.off("exit", release);
      release();
    };
  }
}

/**
 * Starts the local stack the way a user does (`npm start`, here as its script with flags), and resolves
 * once it prints "Hearth is ready". Stacks run one at a time (see LOCK); a caller that may wait for
 * another test file's stack needs a hook timeout that covers it.
 */
export async function startStackProcess(
  opts: { projectId?: string; args?: string[]; ports?: StackPorts } = {},
): Promise<StackProcess> {
  const projectId = opts.projectId ?? "demo-hearth-e2e";
  const ports = opts.ports ?? E2E_PORTS;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hearth-e2e-"));
  const env: NodeJS.ProcessEnv = { ...process.env, HEARTH_PROJECT: projectId, HEARTH_DATA_DIR: dataDir };
  for (const [name, port] of Object.entries(ports)) env[`HEARTH_${name}_PORT`] = String(port);
  delete env.FIRESTORE_EMULATOR_HOST;

  const releaseLock = await takeStackLock();
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/start.ts", ...(opts.args ?? [])],
    { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (/^Hearth is ready$/m.test(out)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => reject(new Error(`the stack exited (${code}) before it was ready:\n${out}`)));
    setTimeout(() => reject(new Error(`the stack was not ready after 240 s:\n${out}`)), 240_000).unref();
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
    const code = await exited;
    releaseLock();
    return code;
  };
  try {
    await ready;
  } catch (err) {
    child.kill("SIGKILL");
    await exited;
    releaseLock();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return { projectId, host: "127.0.0.1", ports, dataDir, output: () => out, stop };
}
