/**
 * `npm run emulators:exec -- "<command>"` starts the stack on empty data, runs the command with the
 * emulator variables set, stops the stack and passes the command's exit code through. The command here
 * discovers Firestore and Storage through the emulator hub, as rules-unit-testing does without hosts.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { E2E_PORTS, takeStackLock } from "../support/stack.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// Ports of their own, so this stack never meets another test's in TIME_WAIT.
const PORTS = Object.fromEntries(Object.entries(E2E_PORTS).map(([name, port]) => [name, port + 7]));

it("runs a command against the whole stack found through the hub, then stops it", async () => {
  const release = await takeStackLock();
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, HEARTH_PROJECT: "demo-hearth-exec" };
    for (const [name, port] of Object.entries(PORTS)) env[`HEARTH_${name}_PORT`] = String(port);
    delete env.FIRESTORE_EMULATOR_HOST;
    delete env.FIREBASE_EMULATOR_HUB;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/exec.ts", "node --import tsx tests/e2e/fixtures/hub-probe.ts"],
      { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, out).toBe(3);
    const line = /^HUB-PROBE (.*)$/m.exec(out);
    expect(line, out).not.toBeNull();
    expect(JSON.parse(line![1]!)).toEqual({
      firestore: { host: "127.0.0.1", port: PORTS.FIRESTORE },
      storage: { host: "127.0.0.1", port: PORTS.STORAGE },
      hub: `127.0.0.1:${PORTS.HUB}`,
    });
    expect(out).toContain("command exited with 3; stopping the stack");
  } finally {
    release();
  }
}, 400_000);
