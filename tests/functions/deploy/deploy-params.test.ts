/**
 * `firebase deploy --non-interactive` from the committed configuration, through firebase-tools' own code.
 * The functions are built into a temporary copy of functions/ (never into the repository) and their
 * params discovered as the deploy discovers them: firebase-tools' Node runtime delegate runs
 * firebase-functions' manifest server on the build. The committed env files, plus a per-project file made
 * from the template, are loaded with firebase-tools' loadUserEnvs and resolved with its resolveBackend,
 * non-interactive, as `firebase deploy` does. Secrets are left out of the resolution (firebase-tools asks
 * Secret Manager for them, over the network); the template must name each one instead.
 */
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
// @ts-expect-error: the build definition is a plain .mjs module shared with `npm run build`.
import { buildOptions } from "../../../functions/build.mjs";
import {
  CHECKED_SETTINGS,
  type CheckedSettings,
  misconfigurations,
} from "../../../functions/src/lib/production-config.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const FUNCTIONS = path.join(ROOT, "functions");
const TEMPLATE = ".env.project.example";
/** A made-up project: nothing here talks to Google. */
const PROJECT = "acme-hearth-prod";

interface Param {
  name: string;
  type: "string" | "int" | "boolean" | "list" | "secret";
}
interface Build {
  params: Param[];
  endpoints: Record<string, unknown>;
}
/** firebase-tools' ParamValue: the raw string the deployed function gets as its environment variable. */
interface ParamValue {
  toString(): string;
}

const require = createRequire(import.meta.url);
const { Delegate } = require("firebase-tools/lib/deploy/functions/runtimes/node/index.js") as {
  Delegate: new (
    projectId: string,
    projectDir: string,
    sourceDir: string,
    runtime: string,
  ) => { discoverBuild(config: object, env: Record<string, string>): Promise<Build> };
};
const { loadUserEnvs } = require("firebase-tools/lib/functions/env.js") as {
  loadUserEnvs(opts: {
    functionsSource: string;
    projectId: string;
    projectDir: string;
  }): Record<string, string>;
};
const { resolveBackend } = require("firebase-tools/lib/deploy/functions/build.js") as {
  resolveBackend(opts: {
    build: Build;
    firebaseConfig: { projectId: string };
    userEnvs: Record<string, string>;
    codebase: string;
    nonInteractive: boolean;
    isEmulator: boolean;
  }): Promise<{ backend: { endpoints: Record<string, unknown> }; envs: Record<string, ParamValue> }>;
};

let projectDir: string;
let functionsDir: string;
let discovered: Build;

beforeAll(async () => {
  projectDir = mkdtempSync(path.join(os.tmpdir(), "hearth-deploy-"));
  functionsDir = path.join(projectDir, "functions");
  await build({ ...buildOptions, outfile: path.join(functionsDir, "lib/index.js"), logLevel: "warning" });
  for (const file of ["package.json", ".env", TEMPLATE]) {
    copyFileSync(path.join(FUNCTIONS, file), path.join(functionsDir, file));
  }
  // The build's registry imports resolve from the repository's installed packages, as from functions/.
  symlinkSync(path.join(ROOT, "node_modules"), path.join(projectDir, "node_modules"));
  if (existsSync(path.join(FUNCTIONS, "node_modules"))) {
    symlinkSync(path.join(FUNCTIONS, "node_modules"), path.join(functionsDir, "node_modules"));
  }
  const { runtime } = JSON.parse(readFileSync(path.join(ROOT, "firebase.json"), "utf8")).functions[0];
  const delegate = new Delegate(PROJECT, projectDir, functionsDir, runtime);
  // As the local stack does: on a busy machine loading the functions can take longer than the 10 s default.
  vi.stubEnv("FUNCTIONS_DISCOVERY_TIMEOUT", "90");
  try {
    discovered = await delegate.discoverBuild({}, { GCLOUD_PROJECT: PROJECT });
  } finally {
    vi.unstubAllEnvs();
  }
}, 120_000);
afterAll(() => {
  if (projectDir) rmSync(projectDir, { recursive: true, force: true });
});

/** The committed template with `values` filled in, as a team writes functions/.env.<project>. */
function perProjectFile(values: Record<string, string>): string {
  let text = readFileSync(path.join(FUNCTIONS, TEMPLATE), "utf8");
  for (const [name, value] of Object.entries(values)) {
    const line = new RegExp(`^${name}=$`, "m");
    expect(text, `${TEMPLATE} has an empty ${name}= line`).toMatch(line);
    text = text.replace(line, `${name}=${value}`);
  }
  return text;
}

/** What `firebase deploy --non-interactive --project PROJECT` resolves, secrets aside. */
async function resolveForDeploy(perProject: string | undefined) {
  const file = path.join(functionsDir, `.env.${PROJECT}`);
  rmSync(file, { force: true });
  if (perProject !== undefined) writeFileSync(file, perProject);
  const userEnvs = loadUserEnvs({ functionsSource: functionsDir, projectId: PROJECT, projectDir });
  return resolveBackend({
    build: { ...discovered, params: discovered.params.filter((p) => p.type !== "secret") },
    firebaseConfig: { projectId: PROJECT },
    userEnvs,
    codebase: "default",
    nonInteractive: true,
    isEmulator: false,
  });
}

function checkedSettings(envs: Record<string, ParamValue>): CheckedSettings {
  return Object.fromEntries(CHECKED_SETTINGS.map((name) => [name, envs[name]?.toString() ?? ""]));
}

const FILLED = {
  APP_URL: "https://app.acme.example",
  STRIPE_PRICE_PRO: "price_1AcmePro",
  STRIPE_PRICE_TEAM: "price_1AcmeTeam",
  BACKUP_BUCKET: "acme-firestore-backups",
};

describe("firebase deploy --non-interactive from the committed configuration", () => {
  it("discovers the params the functions declare, the checked settings among them", () => {
    const names = discovered.params.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([...CHECKED_SETTINGS, "STRIPE_SECRET_KEY", "OPENAI_API_KEY", "BACKUP_BUCKET"]),
    );
    expect(Object.keys(discovered.endpoints)).toEqual(
      expect.arrayContaining(["aiGenerate", "stripeWebhook"]),
    );
  });

  it("with functions/.env.<project> made from the template: every param resolves, no prompt, production-safe", async () => {
    const { envs, backend } = await resolveForDeploy(perProjectFile(FILLED));
    for (const param of discovered.params.filter((p) => p.type !== "secret")) {
      expect(envs[param.name], param.name).toBeDefined();
    }
    expect(checkedSettings(envs)).toEqual({
      AI_PROVIDER: "live",
      APP_URL: FILLED.APP_URL,
      STRIPE_API_BASE: "",
      STRIPE_PRICE_PRO: FILLED.STRIPE_PRICE_PRO,
      STRIPE_PRICE_TEAM: FILLED.STRIPE_PRICE_TEAM,
    });
    expect(misconfigurations({ projectId: PROJECT, emulated: false }, checkedSettings(envs))).toEqual([]);
    expect(Object.keys(backend.endpoints).length).toBeGreaterThan(0);
  });

  it("without the per-project file it stops before deploying, naming the params that file holds", async () => {
    await expect(resolveForDeploy(undefined)).rejects.toThrow(
      "In non-interactive mode but have no value for the following environment variables: " +
        "APP_URL, STRIPE_PRICE_PRO, STRIPE_PRICE_TEAM, BACKUP_BUCKET",
    );
  });

  it("an unfilled copy of the template deploys, but the functions refuse each empty value by name", async () => {
    const { envs } = await resolveForDeploy(perProjectFile({}));
    const refused = misconfigurations({ projectId: PROJECT, emulated: false }, checkedSettings(envs));
    expect(refused.map((m) => m.setting)).toEqual(["APP_URL", "STRIPE_PRICE_PRO", "STRIPE_PRICE_TEAM"]);
  });

  it("every value in the committed files is explained by a comment, and every secret is named", () => {
    for (const file of [".env", TEMPLATE]) {
      const lines = readFileSync(path.join(FUNCTIONS, file), "utf8").split("\n");
      lines.forEach((line, i) => {
        if (/^[A-Z_]+=/.test(line)) expect(lines[i - 1], `${file}: ${line}`).toMatch(/^# /);
      });
    }
    const template = readFileSync(path.join(FUNCTIONS, TEMPLATE), "utf8");
    for (const secret of discovered.params.filter((p) => p.type === "secret")) {
      expect(template).toMatch(new RegExp(`firebase functions:secrets:set ${secret.name}\\b`));
    }
  });
});
