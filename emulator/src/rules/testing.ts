/** Test support: evaluate one expression in a minimal Firestore context, without a rules file. */
import type { GateDocument, WireFields } from "../shared/security.js";
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
