/**
 * No process outlives the stack, however it is stopped: `npm start` is killed with SIGKILL (npm cannot
 * pass anything on), or the stack's own process is, which runs no handler at all. Before the kill, a
 * function has been called so that firebase-tools has a worker process; afterwards, no process of the
 * stack's recorded tree or of its process groups may remain, and its ports are free again.
 */
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeStackLock } from "../../tests/support/stack.js";
import {
  functionWorkers,
  type LaunchedStack,
  launchStack,
  listProcesses,
  type ProcessInfo,
  portsFrom,
  processTree,
} from "./launch.js";

const dirs: string[] = [];
const launched: LaunchedStack[] = [];
let releaseLock: (() => void) | undefined;

beforeAll(async () => {
  releaseLock = await takeStackLock();
}, 600_000);

afterAll(() => {
  // Only if a test failed half-way: the stacks these tests started, by their own process groups.
  for (const stack of launched) {
    try {
      if (stack.proc.pid) process.kill(-stack.proc.pid, "SIGKILL");
    } catch {}
  }
  releaseLock?.();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** The recorded processes still running (same pid and command line), and any left in their groups. */
function survivors(recorded: ProcessInfo[]): ProcessInfo[] {
  const groups = new Set(recorded.map((p) => p.pgid));
  return listProcesses().filter(
    (now) => groups.has(now.pgid) || recorded.some((was) => was.pid === now.pid && was.args === now.args),
  );
}

async function startThenKill(base: number, victim: (stack: LaunchedStack) => number) {
  const ports = portsFrom(base);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "hearth-orphans-"));
  dirs.push(dataDir);
  const stack = launchStack({
    projectId: "demo-hearth-orphans",
    dataDir,
    ports,
    args: ["--no-seed", "--no-schedules"],
  });
  launched.push(stack);
  await stack.ready;
  const health = await fetch(`http://127.0.0.1:${ports.FUNCTIONS}/demo-hearth-orphans/us-central1/health`);
  expect(health.status).toBe(200);

  const recorded = processTree(stack.proc.pid!);
  // npm, its shell, the stack, Hearth's emulator, firebase-tools and the worker that answered.
  expect(functionWorkers(recorded).length).toBeGreaterThan(0);
  expect(recorded.some((p) => p.args.includes("scripts/start.ts"))).toBe(true);

  process.kill(victim(stack), "SIGKILL");
  await stack.exited;
  // The stack saves its data when it notices npm is gone; killed itself, its watchdog acts at once.
  const deadline = Date.now() + 60_000;
  while (survivors(recorded).length > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 250));
  expect(survivors(recorded)).toEqual([]);
  for (const port of Object.values(ports)) expect(await portOpen(port), `port ${port}`).toBe(false);
}

describe("no process outlives the stack", () => {
  it("when npm start's process is killed with SIGKILL", async () => {
    await startThenKill(27100, (stack) => stack.proc.pid!);
  }, 600_000);

  it("when the stack's own process is killed with SIGKILL", async () => {
    await startThenKill(27200, (stack) => {
      const script = processTree(stack.proc.pid!).find((p) => p.args.includes("scripts/start.ts"));
      expect(script).toBeDefined();
      return script!.pid;
    });
  }, 600_000);
});
