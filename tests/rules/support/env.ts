import { readFileSync } from "node:fs";
import { initializeTestEnvironment, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { setLogLevel } from "firebase/firestore";
import { startTestEmulator } from "../../support/emulator.js";

// Refused requests are the point of these suites; the SDK would log each one as a warning.
setLogLevel("silent");

/** The repo's firestore.rules, exactly as deployed. */
export const FIRESTORE_RULES = readFileSync(new URL("../../../firestore.rules", import.meta.url), "utf8");

export interface RulesEnv {
  testEnv: RulesTestEnvironment;
  stop(): Promise<void>;
}

/** A fresh emulator with the repo's rules loaded through rules-unit-testing, one per test file. */
export async function startRulesEnv(): Promise<RulesEnv> {
  const emulator = await startTestEmulator();
  const testEnv = await initializeTestEnvironment({
    projectId: emulator.projectId,
    firestore: { host: emulator.host, port: emulator.port, rules: FIRESTORE_RULES },
  });
  return {
    testEnv,
    stop: async () => {
      await testEnv.cleanup();
      await emulator.stop();
    },
  };
}
