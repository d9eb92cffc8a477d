import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { ruleFor } from "./document-schemas.js";
import { walkDocuments } from "./walk.js";

export interface FieldProblem {
  /** Dotted field path (`entitlements.files`), `(document id)`, or `(document)` for the whole. */
  field: string;
  message: string;
}

export interface InvalidDocument {
  path: string;
  problems: FieldProblem[];
}

export interface ValidationReport {
  /** Documents checked against a schema. */
  checked: number;
  /** Documents at a known path without a schema in schema/ yet, by pattern. */
  unchecked: Map<string, number>;
  /** Documents that do not parse, or sit outside the data model. */
  invalid: InvalidDocument[];
  /** Documents per collection pattern (`orgs/*\/members/*`), for restore's count check. */
  counts: Map<string, number>;
}

/**
 * Data as the functions read it (firebase-admin's default settings): a client that reads integers as
 * BigInt, as export and restore do, sees numbers here.
 */
function asFunctionsRead(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(asFunctionsRead);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asFunctionsRead(v)]));
  }
  return value;
}

/** Checks one document; null when it is valid or has no schema. */
export function checkDocument(path: string, data: unknown): FieldProblem[] | null {
  const rule = ruleFor(path);
  if (!rule)
    return [{ field: "(document)", message: "no schema for this path: it is outside Hearth's data model" }];
  const problems: FieldProblem[] = [];
  if (rule.id) {
    const id = rule.id.safeParse(path.slice(path.lastIndexOf("/") + 1));
    if (!id.success)
      problems.push(...id.error.issues.map((i) => ({ field: "(document id)", message: i.message })));
  }
  if (rule.schema) {
    const parsed = rule.schema.safeParse(asFunctionsRead(data));
    if (!parsed.success) {
      problems.push(
        ...parsed.error.issues.map((i) => ({
          field: i.path.map(String).join(".") || "(document)",
          message: i.message,
        })),
      );
    }
  }
  return problems.length > 0 ? problems : null;
}

/** Collection pattern of a document path: ids replaced by `*` (`orgs/*\/members/*`). */
export function collectionPattern(path: string): string {
  return path
    .split("/")
    .map((segment, i) => (i % 2 === 1 ? "*" : segment))
    .join("/");
}

/** Validates every document of the database against schema/, reporting progress every `every` documents. */
export async function validateDatabase(
  db: Firestore,
  options: { onProgress?: (seen: number) => void; every?: number } = {},
): Promise<ValidationReport> {
  const report: ValidationReport = { checked: 0, unchecked: new Map(), invalid: [], counts: new Map() };
  let seen = 0;
  for await (const snap of walkDocuments(db)) {
    addDocument(report, snap);
    if (++seen % (options.every ?? 1000) === 0) options.onProgress?.(seen);
  }
  return report;
}

function addDocument(report: ValidationReport, snap: DocumentSnapshot): void {
  const path = snap.ref.path;
  const pattern = collectionPattern(path);
  report.counts.set(pattern, (report.counts.get(pattern) ?? 0) + 1);
  const rule = ruleFor(path);
  if (rule && !rule.schema) report.unchecked.set(rule.pattern, (report.unchecked.get(rule.pattern) ?? 0) + 1);
  else report.checked++;
  const problems = checkDocument(path, snap.data());
  if (problems) report.invalid.push({ path, problems });
}

/** The report as the command prints it: one line per invalid field, then the totals. */
export function formatReport(report: ValidationReport): string {
  const lines: string[] = [];
  for (const doc of report.invalid) {
    for (const p of doc.problems) lines.push(`  ${doc.path}  ${p.field}: ${p.message}`);
  }
  for (const [pattern, n] of report.unchecked)
    lines.push(`  not checked (no schema in schema/ yet): ${n} at ${pattern}`);
  lines.push(`${report.checked} documents checked, ${report.invalid.length} invalid`);
  return lines.join("\n");
}
