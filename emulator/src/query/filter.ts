/**
 * Compiles a decoded `Filter` into a predicate over stored documents, with the semantics the SDKs re-apply
 * locally: range and equality filters only match values of the same type order, `!=` and `not-in`
 * skip missing fields and nulls, array operators look inside arrays.
 */
import { invalidArgument } from "../shared/errors.js";
import type { FieldPath } from "../store/field-path.js";
import {
  arrayValues,
  compareValues,
  isNaNValue,
  typeOrder,
  type Value,
  valuesEqual,
} from "../store/value.js";
import type { FieldOperator, Filter, UnaryOperator } from "./structured-query.js";

export type FieldReader = (path: FieldPath) => Value | undefined;
export type Predicate = (read: FieldReader) => boolean;

export interface CompiledFilter {
  test: Predicate;
  /** Fields with inequality filters, which join the implicit order. */
  inequalities: FieldPath[];
}

const INEQUALITY_OPS = new Set<FieldOperator>([
  "LESS_THAN",
  "LESS_THAN_OR_EQUAL",
  "GREATER_THAN",
  "GREATER_THAN_OR_EQUAL",
  "NOT_EQUAL",
  "NOT_IN",
]);
const MAX_DISJUNCTION_VALUES = 30;

export function compileFilter(filter: Filter): CompiledFilter {
  const inequalities: FieldPath[] = [];
  const test = compile(filter, inequalities);
  return { test, inequalities };
}

function compile(filter: Filter, inequalities: FieldPath[]): Predicate {
  switch (filter.kind) {
    case "composite": {
      const parts = filter.filters.map((f) => compile(f, inequalities));
      if (filter.op === "OR") return (read) => parts.some((p) => p(read));
      return (read) => parts.every((p) => p(read));
    }
    case "field":
      return compileFieldFilter(filter.field, filter.op, filter.value, inequalities);
    case "unary":
      return compileUnary(filter.field, filter.op, inequalities);
  }
}

function addInequality(inequalities: FieldPath[], path: FieldPath): void {
  if (!inequalities.some((p) => p.join("\u0000") === path.join("\u0000"))) inequalities.push(path);
}

function compileUnary(path: FieldPath, op: UnaryOperator, inequalities: FieldPath[]): Predicate {
  switch (op) {
    case "IS_NAN":
      return (read) => {
        const v = read(path);
        return v !== undefined && isNaNValue(v);
      };
    case "IS_NULL":
      return (read) => {
        const v = read(path);
        return v !== undefined && "nullValue" in v;
      };
    case "IS_NOT_NAN":
      addInequality(inequalities, path);
      return (read) => {
        const v = read(path);
        return v !== undefined && !("nullValue" in v) && !isNaNValue(v);
      };
    case "IS_NOT_NULL":
      addInequality(inequalities, path);
      return (read) => {
        const v = read(path);
        return v !== undefined && !("nullValue" in v);
      };
  }
}

function listOperand(value: Value, op: string): Value[] {
  if (!("arrayValue" in value)) throw invalidArgument(`A filter with ${op} requires an array value.`);
  const values = arrayValues(value);
  if (values.length === 0) throw invalidArgument(`A filter with ${op} requires a non-empty array.`);
  if (values.length > MAX_DISJUNCTION_VALUES) {
    throw invalidArgument(`A filter with ${op} supports at most ${MAX_DISJUNCTION_VALUES} values.`);
  }
  return values;
}

function compileFieldFilter(
  path: FieldPath,
  op: FieldOperator,
  operand: Value,
  inequalities: FieldPath[],
): Predicate {
  if (INEQUALITY_OPS.has(op)) addInequality(inequalities, path);
  const sameType = (v: Value | undefined): v is Value =>
    v !== undefined && typeOrder(v) === typeOrder(operand);
  switch (op) {
    case "EQUAL":
      return (read) => {
        const v = read(path);
        return sameType(v) && valuesEqual(v, operand);
      };
    case "NOT_EQUAL":
      return (read) => {
        const v = read(path);
        return v !== undefined && !("nullValue" in v) && !valuesEqual(v, operand);
      };
    case "LESS_THAN":
      return (read) => {
        const v = read(path);
        return sameType(v) && compareValues(v, operand) < 0;
      };
    case "LESS_THAN_OR_EQUAL":
      return (read) => {
        const v = read(path);
        return sameType(v) && compareValues(v, operand) <= 0;
      };
    case "GREATER_THAN":
      return (read) => {
        const v = read(path);
        return sameType(v) && compareValues(v, operand) > 0;
      };
    case "GREATER_THAN_OR_EQUAL":
      return (read) => {
        const v = read(path);
        return sameType(v) && compareValues(v, operand) >= 0;
      };
    case "ARRAY_CONTAINS":
      return (read) => {
        const v = read(path);
        return v !== undefined && "arrayValue" in v && arrayValues(v).some((e) => valuesEqual(e, operand));
      };
    case "IN": {
      const values = listOperand(operand, "IN");
      return (read) => {
        const v = read(path);
        return v !== undefined && values.some((e) => typeOrder(e) === typeOrder(v) && valuesEqual(e, v));
      };
    }
    case "ARRAY_CONTAINS_ANY": {
      const values = listOperand(operand, "ARRAY_CONTAINS_ANY");
      return (read) => {
        const v = read(path);
        return (
          v !== undefined &&
          "arrayValue" in v &&
          arrayValues(v).some((e) => values.some((x) => valuesEqual(e, x)))
        );
      };
    }
    case "NOT_IN": {
      const values = listOperand(operand, "NOT_IN");
      return (read) => {
        const v = read(path);
        return v !== undefined && !("nullValue" in v) && !values.some((e) => valuesEqual(e, v));
      };
    }
  }
}
