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
  | "undefined-variable";

export interface CheckIssue {
  code: CheckCode;
  span: Span;
  message: string;
  severity: "error" | "warning";
}

const GLOBALS = ["request", "resource"];

/** Static checks run before a ruleset is accepted: unknown functions, arity, limits on declarations. */
export class Checker {
  readonly issues: CheckIssue[] = [];

  constructor(private readonly service: string) {}

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
    }
  }
}
