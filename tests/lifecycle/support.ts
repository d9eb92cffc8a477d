import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Timestamp } from "firebase-admin/firestore";
import { connect, type Target } from "../../scripts/lifecycle/target.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";

export interface LifecycleEnv {
  emulator: TestEmulator;
  /** firebase-admin as the functions use it (numbers as numbers). */
  target: Target;
  /** firebase-admin reading integers as BigInt, as export and restore do. */
  exact: Target;
  stop(): Promise<void>;
}

/** An in-process emulator with a fresh demo project, and firebase-admin clients pointed at it. */
export async function startLifecycleEnv(): Promise<LifecycleEnv> {
  const emulator = await startTestEmulator();
  const emulatorHost = `${emulator.host}:${emulator.port}`;
  const target = connect(emulator.projectId, { emulatorHost });
  const exact = connect(emulator.projectId, { emulatorHost, useBigInt: true });
  return {
    emulator,
    target,
    exact,
    stop: async () => {
      await target.close();
      await exact.close();
      await emulator.stop();
    },
  };
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Runs one of the npm scripts' entry points as `npm run` would, against the test emulator. */
export function runScript(
  script: string,
  args: string[],
  emulator: TestEmulator,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", script, ...args, "--project", emulator.projectId],
      {
        cwd: ROOT,
        env: { ...process.env, FIRESTORE_EMULATOR_HOST: `${emulator.host}:${emulator.port}`, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
  });
}

/** An org document as createOrg wrote it before plans had file limits (version 1). */
export function orgV1(name: string, plan: "free" | "pro" | "team" = "free") {
  return {
    name,
    settings: {},
    ownerUid: "u1",
    plan,
    entitlements: {
      seats: 3,
      projects: 3,
      storageBytes: 100 * 1024 * 1024,
      aiCallsPerMonth: { soft: 80, hard: 100 },
      aiCostMicrosPerMonth: { soft: 1_000_000, hard: 2_000_000 },
      aiModels: ["gpt-4o-mini"],
      aiCallsPerMinutePerUser: 5,
    },
    billingStatus: "none",
    memberCount: 1,
    pendingInvites: 0,
    createdAt: Timestamp.fromMillis(1_700_000_000_000),
    deletedAt: null,
  };
}
