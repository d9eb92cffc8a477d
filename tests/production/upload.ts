/**
 * The functions upload as `firebase deploy` makes it and Cloud Build installs it: built by the
 * predeploy command, zipped by firebase-tools' own packaging code with firebase.json's settings,
 * unpacked into a folder outside the repository and installed there with `npm ci --omit=dev` from the
 * uploaded lockfile alone.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface FunctionsConfig {
  source: string;
  runtime: string;
  ignore: string[];
  predeploy: string[];
}

/** firebase.json's (only) functions codebase. */
export function functionsConfig(): FunctionsConfig {
  const firebaseJson = JSON.parse(readFileSync(path.join(ROOT, "firebase.json"), "utf8"));
  return firebaseJson.functions[0] as FunctionsConfig;
}

const require = createRequire(import.meta.url);
const { prepareFunctionsUpload } =
  require("firebase-tools/lib/deploy/functions/prepareFunctionsUpload.js") as {
    prepareFunctionsUpload(
      projectDir: string,
      sourceDir: string,
      config: FunctionsConfig,
      additionalSources: string[],
    ): Promise<{ pathToSource: string; hash: string }>;
  };

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: "pipe" });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${out}`)),
    );
  });
}

export interface Upload {
  /** The unpacked, installed upload. */
  dir: string;
  /** Every file path in the archive, relative and with forward slashes. */
  files: string[];
  remove(): void;
}

/**
 * Zips `sourceDir` with firebase-tools' packaging code and firebase.json's functions settings, as
 * `firebase deploy` does, and unpacks the archive into `into`; returns the archive's file names.
 */
export async function packageAndUnpack(sourceDir: string, into: string): Promise<string[]> {
  const config = functionsConfig();
  const { pathToSource } = await prepareFunctionsUpload(
    ROOT,
    sourceDir,
    { ...config, ignore: [...config.ignore] },
    [],
  );
  try {
    // Python's zipfile ships with the machine; firebase-tools zips with archiver.
    const listing = await run(
      "python3",
      [
        "-c",
        "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nz.extractall(sys.argv[2])\nprint('\\n'.join(z.namelist()))",
        pathToSource,
        into,
      ],
      { cwd: into },
    );
    return listing.split("\n").filter((line) => line !== "");
  } finally {
    rmSync(pathToSource, { force: true });
  }
}

/** Builds, packages, unpacks and installs the functions upload. Takes about half a minute. */
export async function prepareUpload(): Promise<Upload> {
  const config = functionsConfig();
  // The predeploy hooks, with $RESOURCE_DIR as firebase-tools sets it.
  for (const hook of config.predeploy) {
    await run("sh", ["-c", hook], { cwd: ROOT, env: { ...process.env, RESOURCE_DIR: config.source } });
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "hearth-upload-"));
  try {
    const files = await packageAndUnpack(path.join(ROOT, config.source), dir);
    await run("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline"], {
      cwd: dir,
      env: { ...process.env, NODE_ENV: "production" },
    });
    return { dir, files, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
