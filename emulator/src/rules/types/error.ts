import type { Span } from "../source.js";

/** Why an expression failed; callers and tests branch on these, never on messages. */
export const RULES_ERROR_CODES = [
  "undefined-variable",
  "undefined-property",
  "null-value",
  "no-such-overload",
  "index-out-of-range",
  "division-by-zero",
  "overflow",
  "invalid-argument",
  "not-boolean",
  "document-access-limit",
  "call-depth",
  "recursion",
  "expression-limit",
  "unknown-in-query",
] as const;

export type RulesErrorCode = (typeof RULES_ERROR_CODES)[number];

/** A runtime error is a value: it flows through evaluation until `&&`, `||` or the allow decides. */
export interface RulesError {
  type: "error";
  code: RulesErrorCode;
  message: string;
  span: Span;
}

export const NO_SPAN: Span = { start: 0, end: 0 };

export function rulesError(code: RulesErrorCode, message: string, span: Span = NO_SPAN): RulesError {
  return { type: "error", code, message, span };
}

/** A value a query leaves open: rules must not rely on it (see firestore/query.ts). */
export function unknownInQuery(span: Span, message = "Value is not known from the query."): RulesError {
  return rulesError("unknown-in-query", message, span);
}
