import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CHECKED_SETTINGS, misconfigurations } from "../../functions/src/lib/production-config.js";
import { loadConfig, ROOT_DIR } from "./config.js";
import { writeFunctionsEnv } from "./functions-env.js";

const require = createRequire(import.meta.url);
const { loadUserEnvs } = require("firebase-tools/lib/functions/env.js") as {
  loadUserEnvs(opts: {
    functionsSource: string;
    projectId: string;
    projectDir: string;
    isEmulator: boolean;
  }): Record<string, string>;
};

let rootDir: string | undefined;
afterEach(() => {
  if (rootDir) rmSync(rootDir, { recursive: true, force: true });
});

/** The values firebase-tools' Functions emulator gives the functions of `npm start`: functions/.env, then .env.local. */
function emulatorEnv(projectId: string) {
  rootDir = mkdtempSync(path.join(os.tmpdir(), "hearth-stack-env-"));
  const functionsDir = path.join(rootDir, "functions");
  mkdirSync(functionsDir);
  copyFileSync(path.join(ROOT_DIR, "functions", ".env"), path.join(functionsDir, ".env"));
  const config = { ...loadConfig(["--project", projectId], {}), rootDir };
  writeFunctionsEnv(config);
  const env = loadUserEnvs({
    functionsSource: functionsDir,
    projectId,
    projectDir: rootDir,
    isEmulator: true,
  });
  return { config, env };
}

describe("writeFunctionsEnv over the committed functions/.env", () => {
  it("the emulator gets the local fakes, not the production values, and no App Check demand", () => {
    const { config, env } = emulatorEnv("demo-hearth");
    expect(env).toMatchObject({
      AI_PROVIDER: "fake",
      AI_BASE_URL: `http://127.0.0.1:${config.ports.ai}/v1`,
      STRIPE_API_BASE: `http://127.0.0.1:${config.ports.stripe}`,
      APP_URL: "http://localhost:5173",
      STRIPE_PRICE_PRO: "price_local_pro",
      STRIPE_PRICE_TEAM: "price_local_team",
      ENFORCE_APP_CHECK: "false",
    });
  });

  it("the production check lets the local values through in a demo project, and in the emulator", () => {
    const { env } = emulatorEnv("demo-hearth");
    const settings = Object.fromEntries(CHECKED_SETTINGS.map((name) => [name, env[name]]));
    expect(misconfigurations({ projectId: "demo-hearth", emulated: false }, settings)).toEqual([]);
    // `npm start -- --project <real id>` still runs in the emulator.
    expect(misconfigurations({ projectId: "acme-prod", emulated: true }, settings)).toEqual([]);
    // The same values deployed to a real project would be refused.
    const refused = misconfigurations({ projectId: "acme-prod", emulated: false }, settings);
    expect(refused.map((m) => m.setting)).toEqual(["AI_PROVIDER", "APP_URL", "STRIPE_API_BASE"]);
  });
});
