/** Puts the parts together: state, rules gate, triggers and the two transports on one port. */
import { readFile } from "node:fs/promises";
import { type EmulatorOptions, resolveOptions } from "./config/options.js";
import { createRulesGate, RulesConfigError } from "./rules/index.js";
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

export class RulesLoadError extends Error {
  constructor(
    message: string,
    readonly result: RulesLoadResult,
  ) {
    super(message);
    this.name = "RulesLoadError";
  }
}

function describeIssues(fileName: string, issues: RulesLoadResult["issues"]): string {
  return issues
    .filter((i) => i.severity === "error")
    .map((i) => `${fileName}:${i.line}:${i.column}: ${i.message}`)
    .join("\n");
}

/** The rules engine's gate, with the start-up rules (if any) as every project's default. */
function createGate(source: string | undefined, fileName: string): SecurityGate {
  if (source === undefined) return createRulesGate({ fileName });
  try {
    return createRulesGate({ defaultRules: source, fileName });
  } catch (error) {
    if (!(error instanceof RulesConfigError)) throw error;
    const issues = error.issues.map((i) => ({
      line: i.line,
      column: i.column,
      message: i.message,
      severity: i.severity,
    }));
    throw new RulesLoadError(`Rules failed to compile:\n${describeIssues(fileName, issues)}`, {
      ok: false,
      issues,
    });
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { host, port } = resolveOptions(options);
  const log = options.logger ?? consoleLogger;
  const clock = options.clock ?? new SystemClock();
  const databases = new Databases();
  // Projects whose rules were loaded over HTTP.
  const rulesProjects = new Set<string>();
  const startupSource =
    options.rules !== undefined ? await readFile(options.rules, "utf8") : options.rulesSource;
  const fileName = options.rules ?? "firestore.rules";
  const gate: SecurityGate = options.gate ?? createGate(startupSource, fileName);
  let warned = false;
  const gateFor = (project: string): SecurityGate | null => {
    if (options.gate || startupSource !== undefined || rulesProjects.has(project)) return gate;
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
