/**
 * An in-process Hearth emulator whose gate is this repo's rules engine, and a rules-unit-testing
 * environment bound to it with a fresh project id.
 */
import { randomBytes } from "node:crypto";
import { initializeTestEnvironment, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { silentLogger, startEmulator } from "@hearth/emulator";
import { createRulesGate } from "../../emulator/src/rules/index.js";

export interface RulesHarness {
  env: RulesTestEnvironment;
  host: string;
  port: number;
  projectId: string;
  stop(): Promise<void>;
}

export async function startRulesHarness(rules: string): Promise<RulesHarness> {
  const emulator = await startEmulator({
    host: "127.0.0.1",
    port: 0,
    logger: silentLogger,
    gate: createRulesGate(),
  });
  const projectId = `demo-${randomBytes(6).toString("hex")}`;
  const env = await initializeTestEnvironment({
    projectId,
    firestore: { host: emulator.host, port: emulator.port, rules },
  });
  return {
    env,
    host: emulator.host,
    port: emulator.port,
    projectId,
    stop: async () => {
      await env.cleanup();
      await emulator.stop();
    },
  };
}
