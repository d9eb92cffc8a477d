/**
 * A burst of 100 concurrent callables against `npm start`: firebase-tools' Functions emulator alone starts a
 * worker process for every request that finds no idle one (100 workers, most failing to load), and the
 * stack's proxy (functions-proxy.ts) holds requests beyond FUNCTION_CONCURRENCY per function until one is
 * answered. Every call must get its correct answer, and the workers under the stack stay bounded.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeStackLock } from "../../tests/support/stack.js";
import { authClient, callFunction } from "./clients.js";
import { FUNCTION_CONCURRENCY } from "./functions-proxy.js";
import { functionWorkers, type LaunchedStack, launchStack, portsFrom, processTree } from "./launch.js";

const projectId = "demo-hearth-burst";
const ports = portsFrom(27000);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "hearth-burst-"));
const functionsOrigin = `http://127.0.0.1:${ports.FUNCTIONS}`;
let stack: LaunchedStack | undefined;
let releaseLock: (() => void) | undefined;

beforeAll(async () => {
  releaseLock = await takeStackLock();
  stack = launchStack({ projectId, dataDir, ports, args: ["--no-seed", "--no-schedules"] });
  await stack.ready;
}, 600_000);

afterAll(async () => {
  if (stack) {
    await stack.interrupt();
    expect(stack.output()).toMatch(/^hearth\s+stopped$/m);
  }
  releaseLock?.();
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

describe("a burst of 100 concurrent callables", () => {
  it("answers every call correctly with a bounded number of function workers", async () => {
    const auth = authClient(`http://127.0.0.1:${ports.AUTH}`, projectId);
    await auth.createUser({
      uid: "burst-user",
      email: "burst@example.com",
      password: "burst-password",
      displayName: "Burst",
    });
    const idToken = await auth.signIn("burst@example.com", "burst-password");

    let mostWorkers = 0;
    const sample = () => {
      mostWorkers = Math.max(mostWorkers, functionWorkers(processTree(stack!.proc.pid!)).length);
    };
    const sampler = setInterval(sample, 100);
    const calls = Array.from({ length: 100 }, () =>
      callFunction<{ uid: string; profile: unknown }>(
        functionsOrigin,
        projectId,
        "exportMyData",
        {},
        idToken,
      ),
    );
    const answers = await Promise.allSettled(calls);
    clearInterval(sampler);
    sample();

    const failures = answers.filter((a) => a.status === "rejected").map((a) => String(a.reason));
    expect(failures).toEqual([]);
    for (const answer of answers) {
      expect((answer as PromiseFulfilledResult<{ uid: string }>).value.uid).toBe("burst-user");
    }
    // exportMyData's workers, plus at most one for the user-created trigger of the sign-up above.
    expect(mostWorkers).toBeGreaterThan(0);
    expect(mostWorkers).toBeLessThanOrEqual(FUNCTION_CONCURRENCY + 1);
  }, 600_000);
});
