import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { address, type StackConfig } from "./config.js";
import { freePort } from "./hub.js";
import { type Child, spawnChild } from "./process.js";

export interface SeedHost {
  port: number;
  /** The functions it serves, by export name. */
  functions: Set<string>;
  stop(): Promise<void>;
}

/**
 * The functions' parameters and secrets as the Functions emulator gives them to its workers: the files
 * firebase-tools reads (later ones winning), then the environment it sets up for the emulator.
 */
function functionsEnv(config: StackConfig): NodeJS.ProcessEnv {
  const dir = path.join(config.rootDir, "functions");
  const file = (name: string) => {
    const at = path.join(dir, name);
    return existsSync(at) ? parseEnv(readFileSync(at, "utf8")) : {};
  };
  return {
    ...process.env,
    ...file(".env"),
    ...file(`.env.${config.projectId}`),
    ...file(".env.local"),
    ...file(".secret.local"),
    GCLOUD_PROJECT: config.projectId,
    FIREBASE_CONFIG: JSON.stringify({ projectId: config.projectId, storageBucket: config.storageBucket }),
    FUNCTIONS_EMULATOR: "true",
    TZ: "UTC",
    FIREBASE_DEBUG_MODE: "true",
    FIREBASE_DEBUG_FEATURES: JSON.stringify({ skipTokenVerification: true, enableCors: true }),
    FIRESTORE_EMULATOR_HOST: address(config, "firestore"),
    FIREBASE_AUTH_EMULATOR_HOST: address(config, "auth"),
    FIREBASE_STORAGE_EMULATOR_HOST: address(config, "storage"),
    STORAGE_EMULATOR_HOST: `http://${address(config, "storage")}`,
  };
}

/**
 * Starts the process that runs the functions while a first start seeds (seed-host-main.ts). The Functions
 * emulator starts a worker process per function, about 2 s of CPU each as each imports the whole bundle,
 * and the seed calls or triggers a dozen: on two cores that was most of a first start. This host imports
 * the bundle once. The functions proxy sends it the seed's requests, then it stops.
 */
export async function startSeedHost(config: StackConfig): Promise<SeedHost> {
  const port = await freePort(config.host);
  let ready: (names: string) => void = () => {};
  const listening = new Promise<string>((resolve) => {
    ready = resolve;
  });
  const child: Child = spawnChild(
    "functions",
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(config.rootDir, "scripts/stack/seed-host-main.ts"),
      config.host,
      String(port),
      path.join(config.rootDir, "functions/lib/index.js"),
    ],
    {
      cwd: path.join(config.rootDir, "functions"),
      env: functionsEnv(config),
      onLine: (line) => {
        const started = /^seed host ready (.*)$/.exec(line);
        if (started) ready(started[1] ?? "");
        // firebase-functions' debug line for every callable, which firebase-tools' output drops too.
        return started || line.includes("callable-request-verification") ? false : line;
      },
    },
  );
  const names = await Promise.race([listening, child.exited.then(() => undefined)]);
  if (names === undefined)
    throw new Error("the seed's function host exited while starting (see its output above)");
  return { port, functions: new Set(names.split(",").filter(Boolean)), stop: () => child.stop() };
}
