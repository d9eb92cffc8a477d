/** What the HTTP endpoints may ask of the emulator; the emulator implements it. */
import type { RuleCoverageReport, RulesLoadResult } from "../../shared/security.js";

export interface AdminApi {
  clear(project: string, database: string): void;
  loadRules(project: string, source: string, fileName?: string): Promise<RulesLoadResult>;
  /** False when the registration is not a Firestore document trigger. */
  registerTrigger(project: string, key: string, registration: TriggerRegistration): boolean;
  exportData(directory: string): Promise<void>;
  /** The project's rule coverage as JSON or as a page; null when it has no rules loaded. */
  ruleCoverage(project: string, format: "json" | "html"): Promise<RuleCoverageReport | string | null>;
}

export type TriggerRegistration =
  | { kind: "v1"; eventType: string; resource: string }
  | { kind: "v2"; eventType: string; database: string; document: string; matchType: string };
