/**
 * Puts the parts together: state, rules gate, triggers and the two transports on one port, and the
 * Storage emulator on its own port when asked. The gRPC stack, the rules engine and trigger delivery
 * are loaded on demand, so the port opens in a fraction of the time that loading the Firestore protos
 * takes; gRPC connections made meanwhile wait for it.
 */
import { readFile } from "node:fs/promises";
import type { Socket } from "node:net";
import { type EmulatorOptions, resolveOptions } from "./config/options.js";
import { toGateDocument } from "./service/security.js";
import { SystemClock } from "./shared/clock.js";
import { consoleLogger } from "./shared/log.js";
import { databaseKey } from "./shared/resource-path.js";
import type { DocumentLookup, RulesLoadResult, SecurityGate } from "./shared/security.js";
import { type RunningStorage, startStorage } from "./storage/index.js";
import { Databases } from "./store/databases.js";
import { exportSnapshot, importSnapshot } from "./store/snapshot.js";
import type { AdminApi } from "./transport/http/api.js";
import { adminRoutes } from "./transport/http/routes/admin.js";
import { documentRoutes } from "./transport/http/routes/documents.js";
import { createHttpServer } from "./transport/http/server.js";
import { startMux } from "./transport/mux.js";
import { createWebChannel } from "./transport/webchannel/index.js";
import { TriggerRegistry } from "./triggers/registry.js";

export interface RunningEmulator {
  host: string;
  port: number;
  /** The Storage emulator's port, when it was started. */
  storagePort?: number;
  /** Resolves when queued trigger deliveries (document and storage events) have been sent. */
  triggersIdle(): Promise<void>;
  /** Resolves once the gRPC side is loaded (connections made earlier simply wait for it). */
  ready(): Promise<void>;
  /** Open WebChannel sessions (browser Listen and Write streams). */
  webChannelSessions(): number;
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
async function createGate(source: string | undefined, fileName: string): Promise<SecurityGate> {
  const { createRulesGate, RulesConfigError } = await import("./rules/index.js");
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
  // Rules given at start must compile before the port opens; otherwise the engine loads on first use.
  let gate: SecurityGate | null =
    options.gate ?? (startupSource !== undefined ? await createGate(startupSource, fileName) : null);
  let warned = false;
  const gateFor = (project: string): SecurityGate | null => {
    if (gate && (options.gate || startupSource !== undefined || rulesProjects.has(project))) return gate;
    if (!warned) {
      warned = true;
      log.warn(
        "no Security Rules loaded: every request is allowed (like the official emulator's open default).",
      );
    }
    return null;
  };

  if (options.importDir) {
    const dir = options.importDir;
    const official = await import("./export-format/load.js");
    let count: number;
    if (await official.isOfficialExport(dir)) {
      if (!options.importProject) {
        throw new Error(
          `${dir} is an export in Google's format (firebase emulators:export, gcloud or a managed export); ` +
            "name the project to load it into with --import-project <id>.",
        );
      }
      count = await official.loadOfficialExport(dir, databases, options.importProject, clock.now());
    } else {
      count = await importSnapshot(dir, databases);
    }
    log.info(`imported ${count} documents from ${dir}`);
  }

  const registry = new TriggerRegistry();
  const functionsHost = options.functionsEmulator;
  const delivery = functionsHost
    ? import("./triggers/delivery.js").then(
        ({ TriggerDelivery }) => new TriggerDelivery(registry, functionsHost, log),
      )
    : null;
  if (delivery) {
    // Promise callbacks run in registration order, so events keep their commit order while loading.
    databases.onDatabase((db) =>
      db.store.onChange((event) => void delivery.then((d) => d.onCommit(db.id, event))),
    );
  }

  const api: AdminApi = {
    clear(project, database) {
      for (const db of databases.forProject(project)) {
        if (databaseKey(db.id) !== databaseKey({ project, database })) continue;
        db.transactions.clear();
        db.store.clear(clock.now());
      }
    },
    async loadRules(project, source, rulesFile) {
      gate ??= await createGate(undefined, fileName);
      const result = gate.setRules(project, source, rulesFile);
      if (result.ok) rulesProjects.add(project);
      return result;
    },
    registerTrigger: (project, key, registration) => registry.register(project, key, registration),
    exportData: async (dir) => {
      await exportSnapshot(dir, databases);
    },
    async ruleCoverage(project, format) {
      const report = gateFor(project)?.coverage?.(project) ?? null;
      if (report === null || format === "json") return report;
      const { coverageHtml } = await import("./rules/index.js");
      return coverageHtml(report);
    },
  };

  // Storage rules' firestore.get() reads a project's (default) database as it is now.
  const firestoreOf = (project: string): DocumentLookup => ({
    get(path) {
      const db = databases.forProject(project).find((d) => d.id.database === "(default)");
      const doc = db?.store.get(path);
      return doc ? toGateDocument(doc) : null;
    },
  });
  const storage: RunningStorage | undefined = options.storage
    ? await startStorage(options.storage, {
        host,
        clock,
        log,
        firestore: firestoreOf,
        functionsEmulator: functionsHost,
      })
    : undefined;

  const grpc = import("./transport/grpc/server.js").then(({ startGrpc }) =>
    startGrpc({ databases, clock, gate: gateFor }, log),
  );
  grpc.catch((error: unknown) => log.error(`gRPC transport failed to load: ${String(error)}`));
  const webChannel = createWebChannel({ databases, clock, gate: gateFor }, log, options.webChannel);
  const http = createHttpServer(
    [...adminRoutes(api), ...documentRoutes({ databases, clock, gate: gateFor })],
    log,
    [webChannel.handle],
  );
  const mux = await startMux(host, port, {
    http2: (socket: Socket) =>
      void grpc.then(
        (transport) => transport.inject(socket),
        () => socket.destroy(),
      ),
    http1: (socket) => http.emit("connection", socket),
  }).catch(async (error: unknown) => {
    await storage?.stop();
    throw error;
  });

  let stopped: Promise<void> | null = null;
  return {
    host,
    port: mux.port,
    ...(storage && { storagePort: storage.port }),
    triggersIdle: async () => {
      await (await delivery)?.idle();
      await storage?.triggersIdle();
    },
    ready: async () => {
      await grpc;
    },
    webChannelSessions: () => webChannel.sessionCount(),
    stop: () => {
      stopped ??= (async () => {
        (await grpc.catch(() => null))?.close();
        webChannel.close();
        http.close();
        await mux.close();
        await storage?.stop();
        await (await delivery)?.idle();
        if (options.exportOnExit) {
          const file = await exportSnapshot(options.exportOnExit, databases);
          log.info(`exported data to ${file}`);
        }
      })();
      return stopped;
    },
  };
}
