import type { Expr, ExprOf, FunctionDecl } from "../ast/nodes.js";
import type { Span } from "../source.js";
import { LIST_METHODS } from "../stdlib/list.js";
import type { CallContext, Runtime } from "../stdlib/overload.js";
import { lookupFunction, METHODS, NAMESPACES } from "../stdlib/registry.js";
import { stringSize } from "../stdlib/string.js";
import { type RulesError, rulesError } from "../types/error.js";
import { isError, type Result, type RulesValue, typeName } from "../types/value.js";
import { indexOf, memberOf, partialMethod } from "./access.js";
import type { Activation } from "./activation.js";
import type { Coverage } from "./coverage.js";
import { MAX_CALL_DEPTH, MAX_EXPRESSIONS } from "./limits.js";
import { conditional, logicalAnd, logicalNot, logicalOr } from "./logic.js";
import { binary, negate } from "./operators.js";
import { type FunctionScope, findFunction, type Ruleset } from "./ruleset.js";
import { isType } from "./types.js";

export interface Frame {
  vars: Activation;
  scope: FunctionScope;
  /** User functions currently executing, innermost last. */
  stack: FunctionDecl[];
}

/** Per-request counters shared by every allow evaluated for that request. */
export interface Budget {
  expressions: number;
  /** Set when the expression limit is hit; like the access limits it denies the whole request. */
  fatal?: RulesError;
}

/** Tree-walking evaluator; returns errors as values and never throws for anything a rules author writes. */
export class Evaluator {
  constructor(
    private readonly ruleset: Ruleset,
    private readonly service: string,
    private readonly runtime: Runtime,
    private readonly budget: Budget,
    private readonly coverage?: Coverage,
  ) {}

  eval(e: Expr, f: Frame): Result {
    const v = this.evalNode(e, f);
    this.coverage?.record(e, v);
    return v;
  }

  private evalNode(e: Expr, f: Frame): Result {
    if (++this.budget.expressions > MAX_EXPRESSIONS) {
      this.budget.fatal ??= rulesError(
        "expression-limit",
        `Exceeded the limit of ${MAX_EXPRESSIONS} expressions per request.`,
        e.span,
      );
      return this.budget.fatal;
    }
    switch (e.kind) {
      case "literal":
        return e.value instanceof Uint8Array ? { type: "bytes", value: e.value } : e.value;
      case "ident":
        return this.ident(e, f);
      case "member": {
        const obj = this.eval(e.object, f);
        return isError(obj) ? obj : memberOf(obj, e.name, e.span);
      }
      case "index": {
        const obj = this.eval(e.object, f);
        if (isError(obj)) return obj;
        const idx = this.eval(e.index, f);
        return isError(idx) ? idx : indexOf(obj, idx, e.span);
      }
      case "slice":
        return this.slice(e, f);
      case "call":
        return this.call(e, f);
      case "list": {
        const items: RulesValue[] = [];
        for (const item of e.items) {
          const v = this.eval(item, f);
          if (isError(v)) return v;
          items.push(v);
        }
        return items;
      }
      case "map": {
        const fields = new Map<string, RulesValue>();
        for (const entry of e.entries) {
          const k = this.eval(entry.key, f);
          if (isError(k)) return k;
          if (typeof k !== "string")
            return rulesError("no-such-overload", "Map keys must be strings.", entry.key.span);
          const v = this.eval(entry.value, f);
          if (isError(v)) return v;
          fields.set(k, v);
        }
        return { type: "map", fields };
      }
      case "unary": {
        const v = this.eval(e.operand, f);
        return e.op === "!" ? logicalNot(v, e.operand.span) : isError(v) ? v : negate(v, e.span);
      }
      case "binary": {
        const l = this.eval(e.left, f);
        if (isError(l)) return l;
        const r = this.eval(e.right, f);
        if (isError(r)) return r;
        return binary(e.op, l, r, e.span);
      }
      case "logical": {
        const l = this.eval(e.left, f);
        const right = () => this.eval(e.right, f);
        return e.op === "&&"
          ? logicalAnd(l, right, e.left.span, e.right.span)
          : logicalOr(l, right, e.left.span, e.right.span);
      }
      case "ternary":
        return conditional(
          this.eval(e.cond, f),
          () => this.eval(e.then, f),
          () => this.eval(e.else, f),
          e.cond.span,
        );
      case "is": {
        const v = this.eval(e.operand, f);
        return isError(v) ? v : isType(v, e.type, e.span);
      }
      case "path":
        return this.path(e, f);
    }
  }

  private ident(e: ExprOf<"ident">, f: Frame): Result {
    const v = f.vars.lookup(e.name);
    if (v !== undefined) {
      // Variables may hold errors (a query's unknown id); report them where they are used.
      return isError(v) ? { ...v, span: e.span } : v;
    }
    return rulesError("undefined-variable", `Variable '${e.name}' is not defined.`, e.span);
  }

  private slice(e: ExprOf<"slice">, f: Frame): Result {
    const obj = this.eval(e.object, f);
    if (isError(obj)) return obj;
    const from = e.from ? this.eval(e.from, f) : 0n;
    if (isError(from)) return from;
    let to: Result;
    if (e.to) to = this.eval(e.to, f);
    else if (typeof obj === "string") to = stringSize(obj);
    else if (Array.isArray(obj)) to = BigInt(obj.length);
    else to = rulesError("no-such-overload", `Cannot take a range of a ${typeName(obj)}.`, e.span);
    if (isError(to)) return to;
    const ctx = { span: e.span, runtime: this.runtime };
    if (Array.isArray(obj)) return LIST_METHODS.range!.impl(obj, [from, to], ctx);
    if (typeof obj === "string") {
      const chars = [...obj];
      const r = LIST_METHODS.range!.impl(chars, [from, to], ctx);
      return Array.isArray(r) ? r.join("") : r;
    }
    return rulesError("no-such-overload", `Cannot take a range of a ${typeName(obj)}.`, e.span);
  }

  private args(args: Expr[], f: Frame): RulesValue[] | RulesError {
    const out: RulesValue[] = [];
    for (const a of args) {
      const v = this.eval(a, f);
      if (isError(v)) return v;
      out.push(v);
    }
    return out;
  }

  private call(e: ExprOf<"call">, f: Frame): Result {
    const callee = e.callee;
    if (callee.kind === "ident") {
      const user = findFunction(f.scope, callee.name);
      if (user) return this.callUser(user, e, f);
      return this.callBuiltin(callee.name, e, f);
    }
    if (callee.kind === "member") {
      const ns = callee.object;
      if (ns.kind === "ident" && NAMESPACES.has(ns.name) && f.vars.lookup(ns.name) === undefined) {
        return this.callBuiltin(`${ns.name}.${callee.name}`, e, f);
      }
      const recv = this.eval(callee.object, f);
      if (isError(recv)) return recv;
      const args = this.args(e.args, f);
      if (!Array.isArray(args)) return args;
      return this.method(recv, callee.name, args, e.span);
    }
    return rulesError("no-such-overload", "Only functions and methods can be called.", e.span);
  }

  private method(recv: RulesValue, name: string, args: RulesValue[], span: Span): Result {
    const type = typeName(recv);
    if (type === "partial") return partialMethod(recv, name, args, span);
    const m = METHODS[type]?.[name];
    if (!m?.arity.includes(args.length)) {
      return rulesError(
        "no-such-overload",
        `Function not found error: Name: [${name}] on ${type} with ${args.length} argument(s).`,
        span,
      );
    }
    // METHODS is keyed by the receiver's type name, so the entry accepts this receiver.
    const impl = m.impl as (r: RulesValue, a: RulesValue[], c: CallContext) => Result;
    return impl(recv, args, { span, runtime: this.runtime });
  }

  private callBuiltin(name: string, e: ExprOf<"call">, f: Frame): Result {
    const fn = lookupFunction(name, this.service);
    if (!fn) return rulesError("no-such-overload", `Function not found error: Name: [${name}].`, e.span);
    if (!fn.arity.includes(e.args.length)) {
      return rulesError(
        "no-such-overload",
        `Function [${name}] takes ${fn.arity.join(" or ")} argument(s).`,
        e.span,
      );
    }
    const args = this.args(e.args, f);
    if (!Array.isArray(args)) return args;
    return fn.impl(null, args, { span: e.span, runtime: this.runtime });
  }

  private callUser(fn: FunctionDecl, e: ExprOf<"call">, f: Frame): Result {
    if (fn.params.length !== e.args.length) {
      return rulesError(
        "no-such-overload",
        `Function [${fn.name}] takes ${fn.params.length} argument(s).`,
        e.span,
      );
    }
    if (f.stack.includes(fn))
      return rulesError("recursion", `Recursive call of function [${fn.name}].`, e.span);
    if (f.stack.length >= MAX_CALL_DEPTH) {
      return rulesError(
        "call-depth",
        `Exceeded the maximum function call depth of ${MAX_CALL_DEPTH}.`,
        e.span,
      );
    }
    // Arguments are bound as results, so an unused erroring argument does not fail the call.
    const vars = new Map<string, Result>();
    fn.params.forEach((p, i) => {
      vars.set(p, this.eval(e.args[i]!, f));
    });
    const inner: Frame = {
      vars: f.vars.child(vars),
      scope: this.ruleset.declaredIn.get(fn) ?? f.scope,
      stack: [...f.stack, fn],
    };
    for (const binding of fn.lets) vars.set(binding.name, this.eval(binding.value, inner));
    return this.eval(fn.body, inner);
  }

  private path(e: ExprOf<"path">, f: Frame): Result {
    const segments: string[] = [];
    for (const seg of e.segments) {
      let text = "";
      for (const part of seg.parts) {
        if (typeof part === "string") {
          text += part;
          continue;
        }
        const v = this.eval(part, f);
        if (isError(v)) return v;
        if (typeof v === "string") text += v;
        else if (typeof v === "bigint") text += String(v);
        else if (typeName(v) === "path" && seg.parts.length === 1)
          text += (v as { segments: string[] }).segments.join("/");
        else
          return rulesError(
            "no-such-overload",
            `Cannot interpolate a ${typeName(v)} into a path.`,
            part.span,
          );
      }
      // An interpolated string may hold several segments; splitting only then keeps the common case cheap.
      if (!text.includes("/")) {
        if (text !== "") segments.push(text);
      } else {
        for (const part of text.split("/")) if (part !== "") segments.push(part);
      }
    }
    return { type: "path", segments };
  }
}
