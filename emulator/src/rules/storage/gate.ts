/**
 * Storage rules behind one small object: the loaded ruleset (one for the whole Storage emulator, as
 * firebase-tools and rules-unit-testing load it without a project) and judging of one request.
 */
import type { GateDecision, RulesLoadResult } from "../../shared/security.js";
import { compileRuleset } from "../compile.js";
import type { Ruleset } from "../eval/ruleset.js";
import { evaluateStorageRequest, type StorageRequest } from "./evaluate.js";

export type StorageCheck = Omit<StorageRequest, "rules">;

export interface StorageRulesGate {
  /** Compiles and installs rules; on failure the previous rules stay in force. */
  setRules(source: string, fileName?: string): RulesLoadResult;
  /** Issues rendered as `file:line:col: message` with the source line and a caret, for people. */
  lastErrors(): string;
  loaded(): boolean;
  /** Allowed when no rules are loaded (the caller warns). */
  check(request: StorageCheck): GateDecision;
}

export function createStorageRulesGate(): StorageRulesGate {
  let ruleset: Ruleset | null = null;
  let errors = "";
  return {
    setRules(source, fileName = "storage.rules") {
      const compiled = compileRuleset(source, fileName);
      const issues = compiled.issues.map(({ line, column, message, severity }) => ({
        line,
        column,
        message,
        severity,
      }));
      errors = compiled.issues
        .filter((i) => i.severity === "error")
        .map((i) => i.rendered)
        .join("\n");
      if (!compiled.ok) return { ok: false, issues };
      ruleset = compiled.ruleset;
      return { ok: true, issues };
    },
    lastErrors: () => errors,
    loaded: () => ruleset !== null,
    check(request) {
      if (!ruleset) return { allowed: true };
      const rules = ruleset;
      const first = evaluateStorageRequest({ ...request, rules });
      if (first.allowed || request.method !== "list") return first;
      // A listing is also allowed by rules written for the objects inside the listed folder.
      const child = evaluateStorageRequest({ ...request, rules, listChild: true });
      return child.allowed ? child : first;
    },
  };
}
