import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { address, type StackConfig } from "./config.js";
import { log } from "./log.js";
import { type Child, spawnChild } from "./process.js";
import type { Timings } from "./timings.js";

/** Ports of firebase-tools' own that the stack's public ones front (hub.ts, functions-proxy.ts). */
export interface PrivatePorts {
  hub: number;
  functions: number;
}

/**
 * Writes the firebase.json the CLI runs with: the repository's own settings with the stack's ports, and
 * no Firestore or Storage emulator (Hearth's own serves both; the official ones need Java).
 */
function writeEmulatorConfig(config: StackConfig, ports: PrivatePorts): string {
  const base = JSON.parse(readFileSync(path.join(config.rootDir, "firebase.json"), "utf8"));
  const at = (port: number) => ({ host: config.host, port });
  const emulators = {
    auth: at(config.ports.auth),
    // Hearth's proxy (functions-proxy.ts) answers on the stack's Functions port and passes requests on.
    functions: at(ports.functions),
    // Hearth's hub (hub.ts) answers on the stack's hub port and passes requests on to this one.
    hub: at(ports.hub),
    logging: at(config.ports.logging),
    eventarc: at(config.ports.eventarc),
    tasks: at(config.ports.tasks),
    ui: { enabled: false },
    singleProjectMode: true,
  };
  const file = path.join(config.rootDir, `.firebase-stack-${config.ports.functions}.json`);
  writeFileSync(file, `${JSON.stringify({ functions: base.functions, emulators }, null, 2)}\n`);
  return file;
}

/** What firebase-tools prints as it gets through its start, marking the phases the stack reports. */
const MILESTONES: [string, string][] = [
  ["Starting emulators", "firebase-tools:cli"],
  ["for Cloud Functions...", "firebase-tools:emulators"],
  ["Loaded functions definitions", "firebase-tools:functions"],
];

const FIREBASE_BIN = path.join(
  path.dirname(createRequire(import.meta.url).resolve("firebase-tools/package.json")),
  "lib/bin/firebase.js",
);
const PRELOAD = fileURLToPath(new URL("firebase-tools-preload.cjs", import.meta.url));

/**
 * Starts firebase-tools' Auth and Functions emulators (pure Node, offline) pointed at Hearth's Firestore
 * and Storage: the functions' firebase-admin reads the emulator hosts from the environment.
 */
export async function startFirebaseEmulators(
  config: StackConfig,
  env: NodeJS.ProcessEnv,
  ports: PrivatePorts,
  timings: Timings,
): Promise<Child> {
  const authDir = path.join(config.dataDir, "auth");
  const args = [
    "emulators:start",
    "--only",
    "auth,functions",
    "--project",
    config.projectId,
    "--config",
    writeEmulatorConfig(config, ports),
    "--export-on-exit",
    authDir,
  ];
  if (existsSync(path.join(authDir, "firebase-export-metadata.json"))) args.push("--import", authDir);

  const seen = new Set<string>();
  let ready: () => void = () => {};
  const readyLine = new Promise<void>((resolve) => {
    ready = resolve;
  });
  let since = performance.now();
  const milestones = [...MILESTONES];
  // The functions' addresses as the user reaches them: the proxy's port, not firebase-tools' own.
  const privateOrigin = `${config.host}:${ports.functions}`;
  const child = spawnChild("firebase", process.execPath, ["--require", PRELOAD, FIREBASE_BIN, ...args], {
    cwd: config.rootDir,
    env: {
      ...env,
      // Loading the functions can take long on a busy 2-core machine; the default 30 s is too tight.
      FUNCTIONS_DISCOVERY_TIMEOUT: env.FUNCTIONS_DISCOVERY_TIMEOUT ?? "120",
      // Discover the functions through a manifest file the SDK writes and then exits, not its HTTP server:
      // firebase-tools waits for that server to close, about 3 s held by its own keep-alive connection,
      // on every start and every reload.
      FIREBASE_FUNCTIONS_DISCOVERY_OUTPUT_PATH: "true",
      FIRESTORE_EMULATOR_HOST: address(config, "firestore"),
      FIREBASE_FIRESTORE_EMULATOR_ADDRESS: address(config, "firestore"),
      FIREBASE_STORAGE_EMULATOR_HOST: address(config, "storage"),
      STORAGE_EMULATOR_HOST: `http://${address(config, "storage")}`,
    },
    onLine: (text) => {
      const next = milestones[0];
      if (next && text.includes(next[0])) {
        milestones.shift();
        timings.add(next[1], since);
        since = performance.now();
      }
      if (text.includes("All emulators ready")) ready();
      if (text.includes("Failed to load function definition")) {
        log.error("functions", "the functions failed to load; fix the error above and save to reload");
      }
      return rewrite(text.replaceAll(privateOrigin, address(config, "functions")), seen);
    },
  });
  const outcome = await Promise.race([
    readyLine.then(() => "ready" as const),
    child.exited.then(() => "exited" as const),
    new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 120_000)),
  ]);
  if (outcome !== "ready") {
    await child.stop();
    throw new Error(
      outcome === "exited"
        ? "firebase-tools exited before the Auth and Functions emulators were ready (see its output above)"
        : "firebase-tools did not get ready within 120 s",
    );
  }
  return child;
}

/**
 * firebase-tools' view of the stack is partial: it calls Firestore triggers and schedules "ignored" because
 * it does not run those emulators itself, though Hearth serves both. Say what really happens, drop the
 * banner that repeats Hearth's own, and show repeated notices once. (Storage triggers it reports as
 * initialized, rightly: it records them without looking for a Storage emulator, and Hearth's delivers.)
 */
function rewrite(text: string, seen: Set<string>): string | false {
  const noise = [
    "Issues? Report them",
    "Emulator UI is not starting",
    "Unable to fetch the CLI MOTD",
    "callable-request-verification",
  ];
  if (/[┌│├└]/.test(text) || noise.some((n) => text.includes(n))) {
    return false;
  }
  if (text.includes("because the firestore emulator does not exist")) {
    return text.replace(
      /function ignored because .*$/,
      "Firestore trigger, delivered by Hearth's Firestore emulator.",
    );
  }
  if (text.includes("because the pubsub emulator does not exist")) {
    return text.replace(/function ignored because .*$/, "scheduled function, run by Hearth's scheduler.");
  }
  if (text.includes("Loaded environment variables from")) {
    if (seen.has(text)) return false;
    seen.add(text);
  }
  return text;
}
