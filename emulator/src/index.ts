/**
 * @module
 * Hearth's Node-native Firestore emulator: gRPC data plane, Listen/Write streams (gRPC, and WebChannel
 * for the web SDK in browsers), REST with CORS, emulator HTTP endpoints and trigger delivery on one port;
 * and, on a port of its own, the Storage emulator (Firebase v0 and Cloud Storage JSON APIs).
 */

export type { EmulatorOptions } from "./config/options.js";
export type { RunningEmulator } from "./emulator.js";
export { RulesLoadError, startEmulator } from "./emulator.js";
export type { Clock } from "./shared/clock.js";
export { FakeClock, SystemClock } from "./shared/clock.js";
export type { Logger } from "./shared/log.js";
export { consoleLogger, silentLogger } from "./shared/log.js";
export type {
  GateAuth,
  GateContext,
  GateDecision,
  GateDocument,
  GateQuery,
  GateWrite,
  RulesLoadResult,
  SecurityGate,
} from "./shared/security.js";
export type { StorageOptions } from "./storage/index.js";
export { StorageRulesError } from "./storage/index.js";
