/** Puts the parts together: state, rules gate, triggers and the two transports on one port. */
import { readFile } from "node:fs/promises";
import { type EmulatorOptions, resolveOptions } from "./config/options.js";
import { SystemClock } from "./shared/clock.js";
import { consoleLogger } from "./shared/log.js";
import { databaseKey } from "./shared/resource-path.js";
import type { RulesLoadResult, SecurityGate } from "./shared/security.js";
import { Databases } from "./store/databases.js";
import { exportSnapshot, importSnapshot } from "./store/snapshot.js";
import { startGrpc } from "./transport/grpc/server.js";
import type { AdminApi } from "./transport/http/api.js";
import { adminRoutes } from "./transport/http/routes/admin.js";
import { createHttpServer } from "./transport/http/server.js";
import { startMux } from "./transport/mux.js";
import { TriggerDelivery } from "./triggers/delivery.js";
import { TriggerRegistry } from "./triggers/registry.js";

export interface RunningEmulator {
  host: string;
  port: number;
  /** Resolves when queued trigger deliveries have been sent. */
  triggersIdle(): Promise<void>;
  stop(): Promise<void>;
}

const STARTUP_CHECK_PROJECT = "hearth-rules-check";

export class RulesLoadError extends Error {
  constructor(
    message: string,
    readonly result: RulesLoadResult,
  ) {
    super(message);
    this.name = "RulesLoadError";
  }
}

function describeIssues(fileName: string, result: RulesLoadResult): string {
  return result.issues
    .filter((i) => i.severity === "error")
    .map((i) => `${fileName}:${i.line}:${i.column}: ${i.message}`)
    .join("\n");
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { host, port } = resolveOptions(options);
  const log = options.logger ?? consoleLogger;
  const clock = options.clock ?? new SystemClock();
  const databases = new Databases();
  const gate: SecurityGate | null = options.gate ?? null;
  // Projects with rules installed in the gate (over HTTP, or lazily from the start-up rules).
  const rulesProjects = new Set<string>();
  let warned = false;

  const startupSource =
    options.rules !== undefined ? await readFile(options.rules, "utf8") : options.rulesSource;
  const startupRules =
    startupSource === undefined
      ? null
      : { source: startupSource, fileName: options.rules ?? "firestore.rules" };
  if (startupRules) {
    if (!gate) throw new Error("Rules were given but this emulator has no rules engine.");
    // Compile once up front so a broken file stops the start instead of allowing everything.
    const result = gate.setRules(STARTUP_CHECK_PROJECT, startupRules.source, startupRules.fileName);
    if (!result.ok) {
      throw new RulesLoadError(
        `Rules failed to compile:\n${describeIssues(startupRules.fileName, result)}`,
        result,
      );
    }
  }
  const gateFor = (project: string): SecurityGate | null => {
    if (gate && (options.gate !== undefined || rulesProjects.has(project))) return gate;
    if (gate && startupRules) {
      gate.setRules(project, startupRules.source, startupRules.fileName);
      rulesProjects.add(project);
      return gate;
    }
    if (!warned) {
      warned = true;
      log.warn(
        "no Security Rules loaded: every request is allowed (like the official emulator's open default).",
      );
    }
    return null;
  };

  if (options.importDir) {
    const count = await importSnapshot(options.importDir, databases);
    log.info(`imported ${count} documents from ${options.importDir}`);
  }

  const registry = new TriggerRegistry();
  const delivery = options.functionsEmulator
    ? new TriggerDelivery(registry, options.functionsEmulator, log)
    : null;
  if (delivery) databases.onDatabase((db) => db.store.onChange((event) => delivery.onCommit(db.id, event)));

  const api: AdminApi = {
    clear(project, database) {
      for (const db of databases.forProject(project)) {
        if (database !== "-" && databaseKey(db.id) !== databaseKey({ project, database })) continue;
        db.transactions.clear();
        db.store.clear(clock.now());
      }
    },
    loadRules(project, source, fileName) {
      if (!gate) return null;
      const result = gate.setRules(project, source, fileName);
      if (result.ok) rulesProjects.add(project);
      return result;
    },
    registerTrigger: (project, key, registration) => registry.register(project, key, registration),
    exportData: async (dir) => {
      await exportSnapshot(dir, databases);
    },
  };

  const grpc = startGrpc({ databases, clock, gate: gateFor }, log);
  const http = createHttpServer(adminRoutes(api), log);
  const mux = await startMux(host, port, {
    http2: (connection) => grpc.inject(connection),
    http1: (socket) => http.emit("connection", socket),
  });

  let stopped: Promise<void> | null = null;
  return {
    host,
    port: mux.port,
    triggersIdle: () => delivery?.idle() ?? Promise.resolve(),
    stop: () => {
      stopped ??= (async () => {
        grpc.close();
        http.close();
        await mux.close();
        await delivery?.idle();
        if (options.exportOnExit) {
          const file = await exportSnapshot(options.exportOnExit, databases);
          log.info(`exported data to ${file}`);
        }
      })();
      return stopped;
    },
  };
}
