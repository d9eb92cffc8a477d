/** Emulator options with their defaults, checked once at start. */
import type { Clock } from "../shared/clock.js";
import type { Logger } from "../shared/log.js";
import type { SecurityGate } from "../shared/security.js";
import type { StorageOptions } from "../storage/index.js";
import type { WebChannelTimings } from "../transport/webchannel/index.js";

export interface EmulatorOptions {
  /** Interface to listen on; default 127.0.0.1. `localhost` listens on both loopback families. */
  host?: string;
  /** Port for gRPC and HTTP together; default 8080, 0 picks a free port. */
  port?: number;
  /** A rules file to compile and enforce for every project. */
  rules?: string;
  /** Rules source text to enforce for every project (instead of a file). */
  rulesSource?: string;
  /** A ready-made gate, enforced for every project (tests use this). */
  gate?: SecurityGate;
  /**
   * Directory to load data from at start (missing is fine): Hearth's own snapshot, or an export in
   * Google's format (`firebase emulators:export`, `gcloud firestore export`), which needs importProject.
   */
  importDir?: string;
  /** The project an export in Google's format is loaded into (its documents name no project). */
  importProject?: string;
  /** Directory to save data to on stop. */
  exportOnExit?: string;
  /** `host:port` of the Functions emulator that receives document events. */
  functionsEmulator?: string;
  logger?: Logger;
  clock?: Clock;
  /** WebChannel heartbeat, long-poll and expiry timings (tests shorten them). */
  webChannel?: Partial<WebChannelTimings>;
  /** Also start the Storage emulator, on its own port of the same host. */
  storage?: StorageOptions;
}

export interface ResolvedOptions extends Required<Pick<EmulatorOptions, "host" | "port">> {
  options: EmulatorOptions;
}

export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const port = options.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port ${options.port}.`);
  if (options.rules !== undefined && options.rulesSource !== undefined) {
    throw new Error("Give either rules (a file) or rulesSource, not both.");
  }
  if (
    options.functionsEmulator !== undefined &&
    // host:port, where host may be a bracketed IPv6 address.
    !/^(\[[^\]]+\]|[^:[\]]+):\d+$/.test(options.functionsEmulator)
  ) {
    throw new Error(`Invalid functions emulator address "${options.functionsEmulator}"; expected host:port.`);
  }
  const storage = options.storage;
  if (storage) {
    if (!Number.isInteger(storage.port) || storage.port < 0 || storage.port > 65535) {
      throw new Error(`Invalid storage port ${storage.port}.`);
    }
    if (storage.rules !== undefined && storage.rulesSource !== undefined) {
      throw new Error("Give either storage rules (a file) or storage rulesSource, not both.");
    }
  }
  return { host: options.host ?? "127.0.0.1", port, options };
}
