import { defineConfig } from "vitest/config";

// One config for every workspace. The "source" condition makes workspace packages resolve to their
// TypeScript sources, so tests never run against a stale build.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"], externalConditions: ["source"] } },
  test: {
    include: [
      "{schema,client,emulator,functions}/src/**/*.test.ts",
      "tests/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    // Generous: a suite's first test pays for cold imports and emulator start-up, which on a loaded 2-core
    // machine can take tens of seconds; a hung test still fails.
    testTimeout: 60_000,
    // Most suites wait on sockets (emulator round trips, child processes), so more workers than the
    // machine's two cores finish sooner.
    maxWorkers: 4,
    hookTimeout: 60_000,
    reporters: ["default"],
    // Google's client libraries must not probe the cloud metadata server from tests.
    env: { METADATA_SERVER_DETECTION: "none" },
  },
});
