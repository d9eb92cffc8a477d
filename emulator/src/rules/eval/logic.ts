import type { Span } from "../source.js";
import { type RulesError, rulesError } from "../types/error.js";
import { isError, type Result } from "../types/value.js";

/**
 * `&&`, `||`, `!` and `?:` with the rules' error absorption: a decisive operand (false for &&, true for ||)
 * wins over an error on either side; otherwise the first error wins. A non-bool operand is an error.
 */

function asBool(v: Result, span: Span): boolean | RulesError {
  if (typeof v === "boolean") return v;
  if (isError(v)) return v;
  return rulesError("not-boolean", "Expected a bool value.", span);
}

function combine(
  decisive: boolean,
  left: Result,
  right: () => Result,
  leftSpan: Span,
  rightSpan: Span,
): Result {
  const l = asBool(left, leftSpan);
  if (l === decisive) return decisive;
  const r = asBool(right(), rightSpan);
  if (r === decisive) return decisive;
  if (typeof l !== "boolean") return l;
  return r;
}

export function logicalAnd(left: Result, right: () => Result, leftSpan: Span, rightSpan: Span): Result {
  return combine(false, left, right, leftSpan, rightSpan);
}

export function logicalOr(left: Result, right: () => Result, leftSpan: Span, rightSpan: Span): Result {
  return combine(true, left, right, leftSpan, rightSpan);
}

export function logicalNot(v: Result, span: Span): Result {
  const b = asBool(v, span);
  return typeof b === "boolean" ? !b : b;
}

export function conditional(cond: Result, then: () => Result, otherwise: () => Result, span: Span): Result {
  const c = asBool(cond, span);
  if (typeof c !== "boolean") return c;
  return c ? then() : otherwise();
}
