/**
 * @module
 * The functions `firebase deploy` ships. Wiring only: each export name is a deployed function id, so
 * renaming one deletes a function and creates another.
 */

export { health } from "./system/health.js";
