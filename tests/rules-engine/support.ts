/** A Hearth emulator (tests/support) and a rules-unit-testing environment bound to it, with its rules loaded. */
import { initializeTestEnvironment, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { startTestEmulator } from "../support/emulator.js";

export interface RulesHarness {
  env: RulesTestEnvironment;
  host: string;
  port: number;
  projectId: string;
  stop(): Promise<void>;
}

/**
 * With `via: "rules-unit-testing"` the rules are loaded the way rules-unit-testing loads them (HTTP PUT per
 * project); with `via: "startup"` they are the emulator's start-up rules, the default for every project.
 */
export async function startRulesHarness(
  rules: string,
  via: "rules-unit-testing" | "startup" = "rules-unit-testing",
): Promise<RulesHarness> {
  const emulator = await startTestEmulator(via === "startup" ? { rules } : {});
  const env = await initializeTestEnvironment({
    projectId: emulator.projectId,
    firestore: {
      host: emulator.host,
      port: emulator.port,
      ...(via === "rules-unit-testing" ? { rules } : {}),
    },
  });
  return {
    env,
    host: emulator.host,
    port: emulator.port,
    projectId: emulator.projectId,
    stop: async () => {
      await env.cleanup();
      await emulator.stop();
    },
  };
}
