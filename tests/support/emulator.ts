/**
 * Starts an in-process Hearth Firestore emulator for one test file: 127.0.0.1, a free port, a fresh
 * random `demo-…` project id, no global state (no environment variables are set).
 *
 * @example
 * const emu = await startTestEmulator();
 * // point clients at `${emu.host}:${emu.port}` with project emu.projectId
 * await emu.stop();
 */
import { randomBytes } from "node:crypto";
import { silentLogger, startEmulator } from "@hearth/emulator";

export interface TestEmulator {
  host: string;
  port: number;
  projectId: string;
  stop(): Promise<void>;
}

export async function startTestEmulator(opts: { rules?: string } = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger,
    ...(opts.rules !== undefined ? { rulesSource: opts.rules } : {}),
  });
  return {
    host: emulator.host,
    port: emulator.port,
    projectId: `demo-${randomBytes(6).toString("hex")}`,
    stop: () => emulator.stop(),
  };
}
