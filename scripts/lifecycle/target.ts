/**
 * Which database a lifecycle command works on. `--project` takes a project id or a `.firebaserc` alias
 * (development, staging, production). A `demo-*` project is the local stack (FIRESTORE_EMULATOR_HOST
 * when set, else the stack's Firestore port); any other is the real project, reached with the
 * credentials the team already uses (Application Default Credentials: `gcloud auth
 * application-default login`, or GOOGLE_APPLICATION_CREDENTIALS).
 */
import { readFileSync } from "node:fs";
import { connect as connectTcp } from "node:net";
import path from "node:path";
import { deleteApp, initializeApp } from "firebase-admin/app";
import { type Firestore, getFirestore } from "firebase-admin/firestore";
import { address, loadConfig, ROOT_DIR } from "../stack/config.js";
import { log } from "../stack/log.js";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Runs a lifecycle command's main and exits with its code: 2 and the usage for a UsageError, 1 with
 * `explain(error)` (or the error itself) for anything else.
 */
export function runCommand(
  tag: string,
  usage: string,
  main: () => Promise<number>,
  explain: (error: unknown) => string | undefined = () => undefined,
): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        log.error(tag, `${error.message}\n\n${usage}`);
        process.exit(2);
      }
      log.error(tag, explain(error) ?? String(error));
      process.exit(1);
    },
  );
}

export interface Target {
  projectId: string;
  /** host:port of the emulator, or null for a real project. */
  emulatorHost: string | null;
  db: Firestore;
  close(): Promise<void>;
}

/** Project aliases from `.firebaserc`. */
export function aliases(rootDir = ROOT_DIR): Record<string, string> {
  const rc = JSON.parse(readFileSync(path.join(rootDir, ".firebaserc"), "utf8")) as {
    projects?: Record<string, string>;
  };
  return rc.projects ?? {};
}

/** A project id from `--project` (id or alias); without one, the local stack's project. */
export function resolveProject(value: string | undefined): string {
  if (value === undefined) return loadConfig([]).projectId;
  const id = aliases()[value] ?? value;
  if (id.endsWith("-change-me")) {
    throw new UsageError(
      `the "${value}" alias in .firebaserc is still a placeholder: firebase use --add to set it`,
    );
  }
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(id)) {
    throw new UsageError(
      `"${value}" is neither a project id nor an alias in .firebaserc (${Object.keys(aliases()).join(", ")})`,
    );
  }
  return id;
}

let apps = 0;

/** Connects firebase-admin to the project's database: the emulator for demo-* ids, the real one otherwise. */
export function connect(
  projectId: string,
  options: { emulatorHost?: string; useBigInt?: boolean } = {},
): Target {
  const local = projectId.startsWith("demo-");
  const emulatorHost = local
    ? (options.emulatorHost ?? process.env.FIRESTORE_EMULATOR_HOST ?? address(loadConfig([]), "firestore"))
    : null;
  // firebase-admin would send a real project's requests to an emulator named in the environment.
  if (!local) delete process.env.FIRESTORE_EMULATOR_HOST;
  const app = initializeApp({ projectId }, `lifecycle-${apps++}`);
  const db = getFirestore(app);
  db.settings({
    ...(emulatorHost ? { host: emulatorHost, ssl: false } : {}),
    ...(options.useBigInt ? { useBigInt: true } : {}),
  });
  return {
    projectId,
    emulatorHost,
    db,
    close: async () => {
      await db.terminate();
      await deleteApp(app);
    },
  };
}

/**
 * Fails fast when the emulator is not listening: firebase-admin would otherwise retry for a minute before
 * giving up. Real projects are not probed.
 */
export async function ensureReachable(target: Target): Promise<void> {
  if (!target.emulatorHost) return;
  const [host, port] = [
    target.emulatorHost.replace(/:\d+$/, ""),
    Number(target.emulatorHost.split(":").pop()),
  ];
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = connectTcp({ host: host.replace(/^\[|\]$/g, ""), port, timeout: 2_000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
  if (!reachable) {
    throw new UsageError(
      `no Firestore emulator at ${target.emulatorHost}; start the local stack with npm start`,
    );
  }
}

/** One line saying where a command is about to work, before it does. */
export function describeTarget(target: Target): string {
  return target.emulatorHost
    ? `project ${target.projectId} on the emulator at ${target.emulatorHost}`
    : `REAL project ${target.projectId} (Application Default Credentials)`;
}

/** Reads `--flag value` and `--flag` options; anything else is a positional argument. */
export function parseArgs(
  argv: readonly string[],
  spec: { values: readonly string[]; flags: readonly string[] },
): { values: Map<string, string>; flags: Set<string>; positional: string[] } {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith("--") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (spec.flags.includes(name!)) flags.add(name!);
    else if (spec.values.includes(name!)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${name} needs a value`);
      values.set(name!, value);
    } else if (arg.startsWith("--")) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  return { values, flags, positional };
}
