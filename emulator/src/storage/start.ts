/**
 * Starts the Storage emulator on its own port beside Firestore: the object store on disk, the rules
 * seam (with `firestore.get()` reading the Firestore emulator's current documents), triggers, and the
 * HTTP APIs.
 */
import { readFile } from "node:fs/promises";
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/log.js";
import { startMux } from "../transport/mux.js";
import { createStorageServer } from "./http/server.js";
import { ResumableUploads } from "./resumable.js";
import { type FirestoreOf, StorageSecurity } from "./security.js";
import { StorageService } from "./service.js";
import { ObjectStore } from "./store.js";
import { StorageTriggers } from "./triggers.js";

export interface StorageOptions {
  /** 0 picks a free port. */
  port: number;
  /** A storage.rules file to enforce. */
  rules?: string;
  /** Rules source text to enforce (instead of a file). */
  rulesSource?: string;
  /** Objects persist here across restarts; without it a temporary folder is removed on stop. */
  dataDir?: string;
}

export interface StorageDeps {
  host: string;
  clock: Clock;
  log: Logger;
  firestore: FirestoreOf;
  /** `host:port` of the Functions emulator that receives object events. */
  functionsEmulator?: string | undefined;
}

export interface RunningStorage {
  port: number;
  /** Resolves when queued trigger deliveries have been sent. */
  triggersIdle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStorage(options: StorageOptions, deps: StorageDeps): Promise<RunningStorage> {
  const source = options.rules !== undefined ? await readFile(options.rules, "utf8") : options.rulesSource;
  const rules = source === undefined ? undefined : { source, fileName: options.rules ?? "storage.rules" };
  const security = await StorageSecurity.create(rules, deps);
  const store = await ObjectStore.open(options.dataDir);
  let port = 0;
  const triggers = new StorageTriggers(deps.functionsEmulator, () => `http://${deps.host}:${port}`, deps.log);
  const service = new StorageService(store, security, triggers, deps.clock);
  const uploads = new ResumableUploads(service);
  const server = createStorageServer(
    { service, uploads, triggers, setRules: (text, fileName) => security.setRules(text, fileName) },
    deps.log,
  );
  let mux: Awaited<ReturnType<typeof startMux>>;
  try {
    mux = await startMux(deps.host, options.port, {
      // Storage speaks HTTP/1.1 only.
      http2: (socket) => socket.destroy(),
      http1: (socket) => server.emit("connection", socket),
    });
  } catch (error) {
    await store.close();
    throw error;
  }
  port = mux.port;
  let stopped: Promise<void> | null = null;
  return {
    port,
    triggersIdle: () => triggers.idle(),
    stop: () => {
      stopped ??= (async () => {
        server.close();
        await mux.close();
        await triggers.idle();
        await store.close();
      })();
      return stopped;
    },
  };
}
