import type { BinaryOp } from "../ast/nodes.js";
import type { Span } from "../source.js";
import { compare } from "../types/compare.js";
import { contains, equals } from "../types/equals.js";
import { rulesError, unknownInQuery } from "../types/error.js";
import { INT64_MAX, INT64_MIN, isKind, type Result, type RulesValue, typeName } from "../types/value.js";
import { isPartialList, partialListHas, partialMapHas } from "./access.js";

const unknown = (span: Span): Result => unknownInQuery(span);

function noOp(op: string, l: RulesValue, r: RulesValue, span: Span): Result {
  return rulesError(
    "no-such-overload",
    `Operator '${op}' is not defined for ${typeName(l)} and ${typeName(r)}.`,
    span,
  );
}

function int(v: bigint, span: Span): Result {
  return v < INT64_MIN || v > INT64_MAX ? rulesError("overflow", "Integer overflow.", span) : v;
}

const kind = (v: RulesValue): string => typeName(v);

function arithmetic(op: "+" | "-" | "*" | "/" | "%", l: RulesValue, r: RulesValue, span: Span): Result {
  if (typeof l === "bigint" && typeof r === "bigint") {
    switch (op) {
      case "+":
        return int(l + r, span);
      case "-":
        return int(l - r, span);
      case "*":
        return int(l * r, span);
      case "/":
        return r === 0n ? rulesError("division-by-zero", "Division by zero.", span) : int(l / r, span);
      case "%":
        return r === 0n ? rulesError("division-by-zero", "Modulo by zero.", span) : l % r;
    }
  }
  if ((typeof l === "bigint" || typeof l === "number") && (typeof r === "bigint" || typeof r === "number")) {
    const a = Number(l);
    const b = Number(r);
    switch (op) {
      case "+":
        return a + b;
      case "-":
        return a - b;
      case "*":
        return a * b;
      case "/":
        return a / b;
      case "%":
        return a % b;
    }
  }
  const lk = kind(l);
  const rk = kind(r);
  if (op === "+" && lk === "string" && rk === "string") return (l as string) + (r as string);
  if (op === "+" && lk === "list" && rk === "list") return [...(l as RulesValue[]), ...(r as RulesValue[])];
  if (lk === "timestamp" || lk === "duration") {
    const ln = (l as { nanos: bigint }).nanos;
    if (rk === "duration" && (op === "+" || op === "-")) {
      const n = (r as { nanos: bigint }).nanos;
      return { type: lk, nanos: op === "+" ? ln + n : ln - n };
    }
    if (lk === "timestamp" && rk === "timestamp" && op === "-") {
      return { type: "duration", nanos: ln - (r as { nanos: bigint }).nanos };
    }
  }
  if (op === "+" && lk === "duration" && rk === "timestamp") {
    return { type: "timestamp", nanos: (l as { nanos: bigint }).nanos + (r as { nanos: bigint }).nanos };
  }
  return noOp(op, l, r, span);
}

function membership(l: RulesValue, r: RulesValue, span: Span): Result {
  if (Array.isArray(r)) {
    const c = contains(r, l);
    return c === "unknown" ? unknown(span) : c;
  }
  if (r !== null && typeof r === "object") {
    if (r.type === "map") return typeof l === "string" ? r.fields.has(l) : noOp("in", l, r, span);
    if (r.type === "set") {
      const c = contains(r.items, l);
      return c === "unknown" ? unknown(span) : c;
    }
    if (r.type === "partial") {
      const known = isPartialList(r) ? partialListHas(r, l) : partialMapHas(r, l);
      return known ? true : unknown(span);
    }
  }
  return noOp("in", l, r, span);
}

/** Evaluates a strict binary operator on two already-evaluated operands. */
export function binary(op: BinaryOp, l: RulesValue, r: RulesValue, span: Span): Result {
  switch (op) {
    case "==":
    case "!=": {
      const eq = equals(l, r);
      if (eq === "unknown") return unknown(span);
      return op === "==" ? eq : !eq;
    }
    case "<":
    case "<=":
    case ">":
    case ">=": {
      if (kind(l) === "partial" || kind(r) === "partial") return unknown(span);
      const c = compare(l, r);
      if (c === undefined) return noOp(op, l, r, span);
      if (c === null) return false;
      return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
    }
    case "in":
      return membership(l, r, span);
    default:
      if (kind(l) === "partial" || kind(r) === "partial") return unknown(span);
      return arithmetic(op, l, r, span);
  }
}

export function negate(v: RulesValue, span: Span): Result {
  if (typeof v === "bigint") return int(-v, span);
  if (typeof v === "number") return -v;
  if (isKind(v, "duration")) {
    return { type: "duration", nanos: -v.nanos };
  }
  if (kind(v) === "partial") return unknown(span);
  return rulesError("no-such-overload", `Operator '-' is not defined for ${typeName(v)}.`, span);
}
