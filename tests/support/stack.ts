import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Ports well away from the defaults, so a developer's own `npm start` can keep running during tests. */
export const E2E_PORTS = {
  FIRESTORE: 18080,
  AUTH: 19099,
  FUNCTIONS: 15001,
  HUB: 14400,
  LOGGING: 14500,
  EVENTARC: 19299,
  TASKS: 19499,
  STRIPE: 22111,
  AI: 22112,
} as const;

export interface StackProcess {
  projectId: string;
  host: string;
  ports: typeof E2E_PORTS;
  dataDir: string;
  /** Everything the stack printed so far. */
  output(): string;
  /** Sends Ctrl-C (SIGINT) and waits for the stack to exit; returns its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the local stack the way a user does (`npm start`, here as its script with flags), and resolves
 * once it prints "Hearth is ready".
 */
export async function startStackProcess(
  opts: { projectId?: string; args?: string[] } = {},
): Promise<StackProcess> {
  const projectId = opts.projectId ?? "demo-hearth-e2e";
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hearth-e2e-"));
  const env: NodeJS.ProcessEnv = { ...process.env, HEARTH_PROJECT: projectId, HEARTH_DATA_DIR: dataDir };
  for (const [name, port] of Object.entries(E2E_PORTS)) env[`HEARTH_${name}_PORT`] = String(port);
  delete env.FIRESTORE_EMULATOR_HOST;

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
    return code;
  };
  try {
    await ready;
  } catch (err) {
    child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return { projectId, host: "127.0.0.1", ports: E2E_PORTS, dataDir, output: () => out, stop };
}
