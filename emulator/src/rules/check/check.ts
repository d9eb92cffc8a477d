import type { Expr, FunctionDecl, MatchDecl } from "../ast/nodes.js";
import { children } from "../ast/walk.js";
import { MAX_FUNCTION_ARGS, MAX_LET_BINDINGS } from "../eval/limits.js";
import { type FunctionScope, findFunction } from "../eval/ruleset.js";
import type { Span } from "../source.js";
import { lookupFunction, NAMESPACES } from "../stdlib/registry.js";

export type CheckCode =
  | "unknown-function"
  | "arity"
  | "duplicate-function"
  | "too-many-params"
  | "too-many-lets"
  | "undefined-variable"
  | "bad-path";

export interface CheckIssue {
  code: CheckCode;
  span: Span;
  message: string;
  severity: "error" | "warning";
}

const GLOBALS = ["request", "resource"];

/** Static checks run before a ruleset is accepted: unknown functions, arity, declaration limits, bad paths. */
export class Checker {
  readonly issues: CheckIssue[] = [];

  /** Names of recursive wildcards anywhere in the file: their values are paths of any length. */
  readonly restVars = new Set<string>();

  constructor(private readonly service: string) {}

  private isRest(e: Expr): boolean {
    return e.kind === "ident" && this.restVars.has(e.name);
  }

  private report(
    code: CheckCode,
    span: Span,
    message: string,
    severity: "error" | "warning" = "error",
  ): void {
    this.issues.push({ code, span, message, severity });
  }

  declarations(functions: FunctionDecl[]): Map<string, FunctionDecl> {
    const byName = new Map<string, FunctionDecl>();
    for (const f of functions) {
      if (byName.has(f.name))
        this.report("duplicate-function", f.span, `Function '${f.name}' is declared twice in one scope.`);
      if (f.params.length > MAX_FUNCTION_ARGS) {
        this.report(
          "too-many-params",
          f.span,
          `Function '${f.name}' has more than ${MAX_FUNCTION_ARGS} parameters.`,
        );
      }
      if (f.lets.length > MAX_LET_BINDINGS) {
        this.report(
          "too-many-lets",
          f.span,
          `Function '${f.name}' has more than ${MAX_LET_BINDINGS} let bindings.`,
        );
      }
      byName.set(f.name, f);
    }
    return byName;
  }

  functionBody(f: FunctionDecl, scope: FunctionScope, outer: Set<string>): void {
    const vars = new Set([...outer, ...f.params]);
    for (const binding of f.lets) {
      this.expr(binding.value, scope, vars);
      vars.add(binding.name);
    }
    this.expr(f.body, scope, vars);
  }

  allows(m: MatchDecl, scope: FunctionScope, vars: Set<string>): void {
    for (const a of m.allows) if (a.condition) this.expr(a.condition, scope, vars);
  }

  expr(e: Expr, scope: FunctionScope, vars: Set<string>): void {
    if (e.kind === "call") {
      this.call(e, scope, vars);
      return;
    }
    if (e.kind === "ident" && !vars.has(e.name) && !GLOBALS.includes(e.name)) {
      const hint = NAMESPACES.has(e.name) ? " (it is a namespace of functions)" : "";
      this.report("undefined-variable", e.span, `Unknown variable '${e.name}'${hint}.`, "warning");
    }
    for (const c of children(e)) this.expr(c, scope, vars);
  }

  private call(e: Extract<Expr, { kind: "call" }>, scope: FunctionScope, vars: Set<string>): void {
    const callee = e.callee;
    for (const a of e.args) this.expr(a, scope, vars);
    if (callee.kind === "ident") {
      const user = findFunction(scope, callee.name);
      if (user) {
        if (user.params.length !== e.args.length) {
          this.report(
            "arity",
            e.span,
            `Function '${callee.name}' takes ${user.params.length} argument(s), got ${e.args.length}.`,
          );
        }
        return;
      }
      this.builtin(callee.name, e);
      return;
    }
    if (
      callee.kind === "member" &&
      callee.object.kind === "ident" &&
      NAMESPACES.has(callee.object.name) &&
      !vars.has(callee.object.name)
    ) {
      this.builtin(`${callee.object.name}.${callee.name}`, e);
      return;
    }
    if (callee.kind === "member") this.expr(callee.object, scope, vars);
    else this.expr(callee, scope, vars);
  }

  private builtin(name: string, e: Extract<Expr, { kind: "call" }>): void {
    const fn = lookupFunction(name, this.service);
    if (!fn) {
      this.report("unknown-function", e.callee.span, `Function not found: '${name}'.`);
    } else if (!fn.arity.includes(e.args.length)) {
      this.report(
        "arity",
        e.span,
        `Function '${name}' takes ${fn.arity.join(" or ")} argument(s), got ${e.args.length}.`,
      );
    } else if (DOCUMENT_READS.has(name) && e.args[0]?.kind === "path") {
      this.documentPath(name, e.args[0]);
    }
  }

  /** A literal path given to get()/exists() must name a document under /databases/{db}/documents. */
  private documentPath(name: string, path: Extract<Expr, { kind: "path" }>): void {
    const literal = (i: number): string | undefined => {
      const parts = path.segments[i]?.parts;
      return parts?.length === 1 && typeof parts[0] === "string" ? parts[0] : undefined;
    };
    if (literal(0) !== "databases" || (path.segments.length > 2 && literal(2) !== "documents")) {
      this.report(
        "bad-path",
        path.span,
        `${name}() needs a path of the form /databases/{database}/documents/...`,
        "warning",
      );
      return;
    }
    // A recursive wildcard or a computed value may hold several segments; then the count is not known.
    const single = path.segments.every((s) =>
      s.parts.every(
        (p) => typeof p === "string" || ((p.kind === "ident" || p.kind === "member") && !this.isRest(p)),
      ),
    );
    if (single && (path.segments.length - 3) % 2 !== 0) {
      this.report(
        "bad-path",
        path.span,
        `${name}() is given a collection path; it reads documents.`,
        "warning",
      );
    }
  }
}

const DOCUMENT_READS = new Set([
  "get",
  "exists",
  "getAfter",
  "existsAfter",
  "firestore.get",
  "firestore.exists",
]);
