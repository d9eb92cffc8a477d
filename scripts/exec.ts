/**
 * `npm run emulators:exec -- "<command>"`: Hearth's `firebase emulators:exec`. Starts the whole local stack on empty
 * data (a temporary folder, unless --data is given), runs the command with the emulator variables set,
 * stops everything and exits with the command's exit code. Stack options go before the command:
 * `npm run emulators:exec -- --seed --project demo-x "npx vitest run"`.
 */
import "./stack/offline.js";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import path from "node:path";
import { address, loadConfig, type StackConfig, UsageError } from "./stack/config.js";
import { log } from "./stack/log.js";
import { startStack } from "./stack/stack.js";

const USAGE = `Usage: npm run emulators:exec -- [--seed] [--data DIR] [--project ID] "<command>"

Starts the local stack on empty data, runs <command> in a shell with FIRESTORE_EMULATOR_HOST,
FIREBASE_AUTH_EMULATOR_HOST, FIREBASE_STORAGE_EMULATOR_HOST, FIREBASE_EMULATOR_HUB and GCLOUD_PROJECT
set, then stops the stack and exits with the command's exit code.
  --seed        seed the demo data first (default: empty, like firebase emulators:exec)
  --data DIR    use (and keep) this data folder instead of a temporary one`;

class ExecUsageError extends Error {}

/** The variables `firebase emulators:exec` sets, pointing at this stack. */
export function emulatorEnv(config: StackConfig): Record<string, string> {
  return {
    GCLOUD_PROJECT: config.projectId,
    FIRESTORE_EMULATOR_HOST: address(config, "firestore"),
    FIREBASE_FIRESTORE_EMULATOR_ADDRESS: address(config, "firestore"),
    FIREBASE_AUTH_EMULATOR_HOST: address(config, "auth"),
    FIREBASE_STORAGE_EMULATOR_HOST: address(config, "storage"),
    STORAGE_EMULATOR_HOST: `http://${address(config, "storage")}`,
    FIREBASE_EMULATOR_HUB: address(config, "hub"),
  };
}

function parse(argv: string[]): { stackArgs: string[]; command: string; keepData: boolean; seed: boolean } {
  const stackArgs: string[] = [];
  let seed = false;
  let keepData = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--seed") seed = true;
    else if (arg === "--data" || arg === "--project") {
      if (arg === "--data") keepData = true;
      stackArgs.push(arg, argv[++i] ?? "");
    } else if (arg === "--help" || arg === "-h") throw new ExecUsageError(USAGE);
    else if (arg.startsWith("--")) throw new ExecUsageError(`Unknown option ${arg}\n\n${USAGE}`);
    else return { stackArgs, command: argv.slice(i).join(" "), keepData, seed };
  }
  throw new ExecUsageError(`No command given.\n\n${USAGE}`);
}

async function main(): Promise<number> {
  const { stackArgs, command, keepData, seed } = parse(process.argv.slice(2));
  const temp = keepData ? undefined : mkdtempSync(path.join(tmpdir(), "hearth-exec-"));
  const config = loadConfig([...(temp ? ["--data", temp] : []), ...stackArgs, "--no-schedules"]);
  config.seed = seed;
  const stack = await startStack(config);
  try {
    log.info("exec", `running: ${command}`);
    const child = spawn(command, {
      shell: true,
      stdio: "inherit",
      env: { ...process.env, ...emulatorEnv(config) },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    const code = await new Promise<number>((resolve) =>
      child.on("exit", (status, signal) => resolve(status ?? 128 + (signal ? constants.signals[signal] : 0))),
    );
    log.info("exec", `command exited with ${code}; stopping the stack`);
    return code;
  } finally {
    await stack.stop();
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(err instanceof UsageError || err instanceof ExecUsageError ? 2 : 1);
  },
);
