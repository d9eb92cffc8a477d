import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
      LOCAL_PLAN_LIMITS: "",
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

describe("writeFunctionsEnv on later starts", () => {
  const read = (file: string) => readFileSync(path.join(rootDir!, "functions", file), "utf8");
  const edit = (file: string, change: (text: string) => string) =>
    writeFileSync(path.join(rootDir!, "functions", file), change(read(file)));

  it("keeps the developer's values and comments, and resets only what the stack owns", () => {
    const { config } = emulatorEnv("demo-hearth");
    edit(".env.local", (text) =>
      text
        .replace("APP_URL=http://localhost:5173", "# my Vite app\nAPP_URL=http://localhost:3000")
        .replace("AI_PROVIDER=fake", "AI_PROVIDER=openai")
        .replace("LOCAL_PLAN_LIMITS=", "LOCAL_PLAN_LIMITS=small")
        .replace(/STRIPE_API_BASE=.*/, "STRIPE_API_BASE=http://elsewhere")
        .concat("MY_FLAG=1\n"),
    );
    edit(".secret.local", (text) =>
      text.replace(/STRIPE_WEBHOOK_SECRET=.*/, "STRIPE_WEBHOOK_SECRET=whsec_other"),
    );
    // The next start, with the fakes on other ports.
    const moved = { ...config, ports: { ...config.ports, stripe: 23111, ai: 23112 } };
    writeFunctionsEnv(moved);
    writeFunctionsEnv(moved);
    const env = loadUserEnvs({
      functionsSource: path.join(rootDir!, "functions"),
      projectId: "demo-hearth",
      projectDir: rootDir!,
      isEmulator: true,
    });
    expect(env).toMatchObject({
      APP_URL: "http://localhost:3000",
      AI_PROVIDER: "openai",
      LOCAL_PLAN_LIMITS: "small",
      MY_FLAG: "1",
      STRIPE_API_BASE: "http://127.0.0.1:23111",
      AI_BASE_URL: "http://127.0.0.1:23112/v1",
    });
    const text = read(".env.local");
    expect(text).toContain("# my Vite app\nAPP_URL=http://localhost:3000");
    expect(text.match(/^APP_URL=/gm)).toHaveLength(1);
    expect(text).toMatch(/^# match what this stack runs: STRIPE_API_BASE, AI_BASE_URL, BACKUP_BUCKET\./m);
    expect(read(".secret.local")).toContain("STRIPE_WEBHOOK_SECRET=whsec_local_fake_secret");
  });

  it("adds defaults a file written by an earlier version lacks, and leaves a file of the developer's alone", () => {
    emulatorEnv("demo-hearth");
    const old = "# Written by `npm start` for the local stack; edit freely, or delete to regenerate.";
    writeFileSync(path.join(rootDir!, "functions", ".env.local"), `${old}\nAPP_URL=http://localhost:4200\n`);
    writeFileSync(path.join(rootDir!, "functions", ".secret.local"), "STRIPE_WEBHOOK_SECRET=mine\n");
    writeFunctionsEnv({ ...loadConfig([], {}), rootDir: rootDir! });
    const text = read(".env.local");
    expect(text).not.toContain(old);
    expect(text).toContain("APP_URL=http://localhost:4200");
    expect(text).toContain("AI_PROVIDER=fake");
    expect(read(".secret.local")).toBe("STRIPE_WEBHOOK_SECRET=mine\n");
  });
});
