/** Parses the CLI's argv into emulator options; unknown flags and bad values are errors, not ignored. */
import type { EmulatorOptions } from "../config/options.js";

export const USAGE = `Usage: hearth-emulator [--host 127.0.0.1] [--port 8080] [--rules FILE] [--import DIR]
                       [--export-on-exit DIR] [--functions-emulator HOST:PORT]`;

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
  "--export-on-exit": "exportOnExit",
  "--functions-emulator": "functionsEmulator",
};

export function parseArgs(argv: readonly string[]): EmulatorOptions {
  const options: EmulatorOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = FLAGS[flag];
    if (!key) throw new UsageError(`Unknown option ${arg}.`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "") throw new UsageError(`Option ${flag} needs a value.`);
    if (key === "port") {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`Invalid port "${value}".`);
      options.port = port;
    } else {
      (options as Record<string, string>)[key] = value;
    }
  }
  return options;
}
