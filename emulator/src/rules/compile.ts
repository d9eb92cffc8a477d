import type { MatchDecl } from "./ast/nodes.js";
import { Checker, type CheckIssue } from "./check/check.js";
import { MAX_RULESET_BYTES } from "./eval/limits.js";
import type { CompiledMatch, CompiledService, FunctionScope, Ruleset } from "./eval/ruleset.js";
import { parseRules } from "./parser/parser.js";
import { Source } from "./source.js";

export type CompileIssueCode = "syntax" | "too-large" | CheckIssue["code"];

/** A compile diagnostic, in the shape the seam's RulesLoadIssue uses plus its file and code. */
export interface CompileIssue {
  code: CompileIssueCode;
  fileName: string;
  line: number;
  column: number;
  message: string;
  severity: "error" | "warning";
  /** `file:line:col: message`, the source line and a caret under the problem. */
  rendered: string;
}

export type CompileResult =
  | { ok: true; ruleset: Ruleset; issues: CompileIssue[] }
  | { ok: false; issues: CompileIssue[] };

/** Parses and checks a rules file. A ruleset is only returned when there is no error. */
export function compileRuleset(text: string, fileName = "firestore.rules"): CompileResult {
  const source = new Source(text, fileName);
  const toIssue = (
    code: CompileIssueCode,
    span: { start: number; end: number },
    message: string,
    severity: "error" | "warning",
  ): CompileIssue => {
    const { line, column } = source.position(span.start);
    return { code, fileName, line, column, message, severity, rendered: source.render(span, message) };
  };
  if (Buffer.byteLength(text, "utf8") > MAX_RULESET_BYTES) {
    const message = `The ruleset is larger than ${MAX_RULESET_BYTES / 1024} KB.`;
    return { ok: false, issues: [toIssue("too-large", { start: 0, end: 0 }, message, "error")] };
  }
  const parsed = parseRules(source);
  if (!parsed.ok)
    return { ok: false, issues: [toIssue("syntax", parsed.issue.span, parsed.issue.message, "error")] };

  const declaredIn: Ruleset["declaredIn"] = new Map();
  const services = new Map<string, CompiledService>();
  const issues: CheckIssue[] = [];
  const fileFunctions = parsed.file.functions;
  const fileScope: FunctionScope | null =
    fileFunctions.length > 0
      ? { functions: new Map(fileFunctions.map((f) => [f.name, f])), parent: null }
      : null;
  for (const [i, svc] of parsed.file.services.entries()) {
    const checker = new Checker(svc.name);
    if (fileScope && i === 0) {
      // Checked once (with the first service's checker), resolved against the file scope alone.
      checker.declarations(fileFunctions);
      for (const f of fileFunctions) {
        declaredIn.set(f, fileScope);
        checker.functionBody(f, fileScope, new Set());
      }
    }
    const scope: FunctionScope = { functions: checker.declarations(svc.functions), parent: fileScope };
    for (const f of svc.functions) declaredIn.set(f, scope);
    const build = (m: MatchDecl, parent: FunctionScope, vars: Set<string>): CompiledMatch => {
      const own: FunctionScope = { functions: checker.declarations(m.functions), parent };
      for (const f of m.functions) declaredIn.set(f, own);
      const inner = new Set(vars);
      for (const seg of m.pattern) {
        if (seg.kind !== "literal") inner.add(seg.name);
        if (seg.kind === "rest") checker.restVars.add(seg.name);
      }
      for (const f of m.functions) checker.functionBody(f, own, inner);
      checker.allows(m, own, inner);
      return { decl: m, scope: own, children: m.matches.map((c) => build(c, own, inner)) };
    };
    const matches = svc.matches.map((m) => build(m, scope, new Set()));
    for (const f of svc.functions) checker.functionBody(f, scope, new Set());
    issues.push(...checker.issues);
    const existing = services.get(svc.name);
    if (existing) existing.matches.push(...matches);
    else services.set(svc.name, { name: svc.name as CompiledService["name"], scope, matches });
  }
  const out = issues.map((i) => toIssue(i.code, i.span, i.message, i.severity));
  if (out.some((i) => i.severity === "error")) return { ok: false, issues: out };
  return { ok: true, ruleset: { source, version: parsed.file.version, services, declaredIn }, issues: out };
}
