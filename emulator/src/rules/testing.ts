/** Test support: evaluate one expression in a minimal Firestore context, without a rules file. */
import type { GateDocument, WireFields, WireValue } from "../shared/security.js";
import { Activation } from "./eval/activation.js";
import { Evaluator } from "./eval/evaluator.js";
import type { Ruleset } from "./eval/ruleset.js";
import { DocumentReader } from "./firestore/documents.js";
import { parseExpression } from "./parser/parser.js";
import { Source } from "./source.js";
import type { Result } from "./types/value.js";

export interface ExprEnv {
  vars?: Record<string, Result>;
  /** Stored documents by path relative to `…/documents`. */
  docs?: Record<string, WireFields>;
  service?: "cloud.firestore" | "firebase.storage";
}

export function evalExpr(text: string, env: ExprEnv = {}): Result {
  const source = new Source(text, "expr");
  const parsed = parseExpression(source);
  if (!parsed.ok) throw new Error(source.render(parsed.issue.span, parsed.issue.message));
  const ruleset: Ruleset = { source, version: "2", services: new Map(), declaredIn: new Map() };
  const docs = new Map<string, GateDocument>();
  const time = { seconds: 0, nanos: 0 };
  for (const [path, fields] of Object.entries(env.docs ?? {}))
    docs.set(path, { path, fields, createTime: time, updateTime: time });
  const lookup = { get: (p: string) => docs.get(p) ?? null };
  const runtime = new DocumentReader({ database: "(default)", before: lookup, after: lookup });
  const evaluator = new Evaluator(ruleset, env.service ?? "cloud.firestore", runtime, { expressions: 0 });
  const vars = new Activation(new Map(Object.entries(env.vars ?? {})));
  return evaluator.eval(parsed.expr, { vars, scope: { functions: new Map(), parent: null }, stack: [] });
}

/** Plain JS to wire fields for fixtures: integral numbers become integerValue, Dates timestampValue. */
export function wireFields(obj: Record<string, unknown>): WireFields {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, wireValue(v)]));
}

export function wireValue(v: unknown): WireValue {
  if (v === null || v === undefined) return { nullValue: "NULL_VALUE" };
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { booleanValue: v };
  if (typeof v === "number") return Number.isInteger(v) ? { integerValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(wireValue) } };
  if (v instanceof Date)
    return { timestampValue: { seconds: Math.floor(v.getTime() / 1000), nanos: (v.getTime() % 1000) * 1e6 } };
  return { mapValue: { fields: wireFields(v as Record<string, unknown>) } };
}

/** An in-memory document set standing in for the data plane's store. */
export class FakeDocuments {
  readonly docs = new Map<string, GateDocument>();

  set(path: string, fields: Record<string, unknown>): GateDocument {
    const time = { seconds: 1, nanos: 0 };
    const doc = { path, fields: wireFields(fields), createTime: time, updateTime: time };
    this.docs.set(path, doc);
    return doc;
  }

  lookup(overlay: Record<string, GateDocument | null> = {}): { get(path: string): GateDocument | null } {
    return { get: (p) => (p in overlay ? overlay[p]! : (this.docs.get(p) ?? null)) };
  }
}
