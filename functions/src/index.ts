/**
 * @module
 * The functions `firebase deploy` ships. Wiring only: each export name is a deployed function id, so
 * renaming one deletes a function and creates another. Each feature keeps its own block.
 */

// system
export { health } from "./system/health.js";

// orgs and accounts

// billing

// usage and ai

// files

// scheduled jobs
