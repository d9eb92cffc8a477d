import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Everything the local stack needs to know, from flags and environment, with the documented defaults. */
export interface StackConfig {
  rootDir: string;
  projectId: string;
  host: string;
  ports: {
    firestore: number;
    storage: number;
    auth: number;
    functions: number;
    hub: number;
    logging: number;
    eventarc: number;
    tasks: number;
    stripe: number;
    ai: number;
    /** The local console (scripts/stack/console). */
    console: number;
  };
  /** Where Firestore, Storage and Auth data are saved between runs. */
  dataDir: string;
  /** Start from empty data (and seed again). */
  clean: boolean;
  /** Seed demo data when the data folder is empty. */
  seed: boolean;
  /**
   * Seed through the Functions emulator's own workers (one per function) rather than the seed's single
   * function host (seed-host.ts): slower, and the reference the host is tested against.
   */
  seedInWorkers: boolean;
  /** Run scheduled functions on their schedules. */
  schedules: boolean;
  /** Print when each phase of the start began and ended (read by the start bench). */
  timings: boolean;
  rulesFile: string;
  storageRulesFile: string;
  /**
   * firebase-tools' temporary folder (its TMPDIR), one per stack: it keeps its hub's address there in a
   * file named after the project id and reads it back to export data on exit, so two stacks for one
   * project sharing the system's folder would save each other's Auth users.
   */
  firebaseTempDir: string;
  /**
   * The default bucket: what firebase-tools gives the functions for a demo project (FIREBASE_CONFIG's
   * storageBucket, so the storage triggers and firebase-admin's bucket()) and what a frontend names in
   * its app config.
   */
  storageBucket: string;
}

export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const USAGE = `Usage: npm start -- [--clean] [--no-seed] [--seed-in-workers] [--no-schedules] [--project ID]
                    [--data DIR] [--timings]

  --clean         start with empty data (the saved data folder is deleted) and seed demo data again
  --no-seed       do not seed demo data into an empty stack
  --seed-in-workers
                  seed with a Functions emulator worker per function, not one process for all (slower)
  --no-schedules  do not run scheduled functions on their schedules (npm run job still works)
  --project ID    project id (default: demo-hearth; demo-* ids never reach real Google services)
  --data DIR      where data is saved between runs (default: .hearth/data)
  --timings       print when each phase of the start began and ended

Ports come from HEARTH_<NAME>_PORT variables (FIRESTORE, STORAGE, AUTH, FUNCTIONS, HUB, LOGGING,
EVENTARC, TASKS, STRIPE, AI, CONSOLE) and default to firestore 8080, storage 9199, auth 9099,
functions 5001, hub 4400, console 4000.`;

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[`HEARTH_${name}_PORT`];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) {
    throw new Error(`HEARTH_${name}_PORT must be a port number, got "${raw}"`);
  }
  return value;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
  }
}

export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): StackConfig {
  const config: StackConfig = {
    rootDir: ROOT_DIR,
    projectId: env.HEARTH_PROJECT || "demo-hearth",
    host: "127.0.0.1",
    ports: {
      firestore: port(env, "FIRESTORE", 8080),
      storage: port(env, "STORAGE", 9199),
      auth: port(env, "AUTH", 9099),
      functions: port(env, "FUNCTIONS", 5001),
      hub: port(env, "HUB", 4400),
      logging: port(env, "LOGGING", 4500),
      eventarc: port(env, "EVENTARC", 9299),
      tasks: port(env, "TASKS", 9499),
      stripe: port(env, "STRIPE", 12111),
      ai: port(env, "AI", 12112),
      console: port(env, "CONSOLE", 4000),
    },
    dataDir: path.resolve(ROOT_DIR, env.HEARTH_DATA_DIR || ".hearth/data"),
    clean: false,
    seed: true,
    seedInWorkers: false,
    schedules: true,
    timings: false,
    rulesFile: path.join(ROOT_DIR, "firestore.rules"),
    storageRulesFile: path.join(ROOT_DIR, "storage.rules"),
    firebaseTempDir: "",
    storageBucket: "",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === "--clean") config.clean = true;
    else if (arg === "--no-seed") config.seed = false;
    else if (arg === "--seed-in-workers") config.seedInWorkers = true;
    else if (arg === "--no-schedules") config.schedules = false;
    else if (arg === "--timings") config.timings = true;
    else if (arg === "--project") config.projectId = value();
    else if (arg === "--data") config.dataDir = path.resolve(value());
    else if (arg === "--help" || arg === "-h") throw new UsageError("Hearth local stack");
    else throw new UsageError(`Unknown option ${arg}`);
  }
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(config.projectId)) {
    throw new UsageError(`"${config.projectId}" is not a valid Firebase project id`);
  }
  config.storageBucket = `${config.projectId}.appspot.com`;
  // Running stacks never share a hub port, so neither do their folders. Short: the functions' worker
  // sockets live in it too, and macOS limits socket paths to 104 bytes.
  config.firebaseTempDir = path.join(os.tmpdir(), `hearth-ft-${config.ports.hub}`);
  return config;
}

/** The environment that gives firebase-tools its own temporary folder (see firebaseTempDir). */
export function firebaseToolsTempEnv(config: StackConfig): NodeJS.ProcessEnv {
  const dir = config.firebaseTempDir;
  return { TMPDIR: dir, TMP: dir, TEMP: dir };
}

export function address(config: StackConfig, service: keyof StackConfig["ports"]): string {
  return `${config.host}:${config.ports[service]}`;
}
