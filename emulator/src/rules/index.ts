/**
 * @module The Security Rules engine: compile rules files, judge Firestore requests through a SecurityGate,
 * and judge Cloud Storage requests through a library call.
 */

export type { CompileIssue, CompileIssueCode, CompileResult } from "./compile.js";
export { compileRuleset } from "./compile.js";
export { coverageHtml } from "./eval/coverage.js";
export type { Ruleset } from "./eval/ruleset.js";
export type { RulesGateOptions } from "./firestore/gate.js";
export { createRulesGate, RulesConfigError } from "./firestore/gate.js";
export type { StorageObject, StorageRequest } from "./storage/evaluate.js";
export { evaluateStorageRequest } from "./storage/evaluate.js";
export type { StorageCheck, StorageRulesGate } from "./storage/gate.js";
export { createStorageRulesGate } from "./storage/gate.js";
