/** @module The Storage emulator: Firebase Storage v0 and Cloud Storage JSON APIs over objects on disk. */

export { StorageRulesError } from "./security.js";
export type { RunningStorage, StorageDeps, StorageOptions } from "./start.js";
export { startStorage } from "./start.js";
