/** Parses the CLI's argv into emulator options; unknown flags and bad values are errors, not ignored. */
import type { EmulatorOptions } from "../config/options.js";

export const USAGE = `Usage: hearth-emulator [--host 127.0.0.1] [--port 8080] [--rules FILE] [--import DIR [--import-project ID]]
                       [--export-on-exit DIR] [--functions-emulator HOST:PORT]
                       [--storage-port PORT [--storage-rules FILE] [--storage-dir DIR]]`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const FLAGS: Record<string, keyof EmulatorOptions> = {
  "--host": "host",
  "--port": "port",
  "--rules": "rules",
  "--import": "importDir",
  "--import-project": "importProject",
  "--export-on-exit": "exportOnExit",
  "--functions-emulator": "functionsEmulator",
};

/** Storage flags, gathered into `options.storage`; the Storage emulator starts only with a port. */
const STORAGE_FLAGS: Record<string, "port" | "rules" | "dataDir"> = {
  "--storage-port": "port",
  "--storage-rules": "rules",
  "--storage-dir": "dataDir",
};

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Invalid port "${value}".`);
  return port;
}

export function parseArgs(argv: readonly string[]): EmulatorOptions {
  const options: EmulatorOptions = {};
  const storage: { port?: number; rules?: string; dataDir?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = FLAGS[flag];
    const storageKey = STORAGE_FLAGS[flag];
    if (!key && !storageKey) throw new UsageError(`Unknown option ${arg}.`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "") throw new UsageError(`Option ${flag} needs a value.`);
    if (storageKey === "port") storage.port = parsePort(value);
    else if (storageKey) storage[storageKey] = value;
    else if (key === "port") options.port = parsePort(value);
    else (options as Record<string, string>)[key!] = value;
  }
  if (storage.port !== undefined) options.storage = { ...storage, port: storage.port };
  else if (storage.rules !== undefined || storage.dataDir !== undefined) {
    throw new UsageError("--storage-rules and --storage-dir need --storage-port.");
  }
  return options;
}
