/**
 * Compiles a wire `Filter` into a predicate over stored documents, with the semantics the SDKs re-apply
 * locally: range and equality filters only match values of the same type order, `!=` and `not-in`
 * skip missing fields and nulls, array operators look inside arrays.
 */
import { invalidArgument } from "../shared/errors.js";
import { type FieldPath, parseFieldPath } from "../store/field-path.js";
import { normalizeValue } from "../store/normalize.js";
import {
  arrayValues,
  compareValues,
  isNaNValue,
  typeOrder,
  type Value,
  valuesEqual,
} from "../store/value.js";

export type FieldReader = (path: FieldPath) => Value | undefined;
export type Predicate = (read: FieldReader) => boolean;

export interface CompiledFilter {
  test: Predicate;
  /** Fields with inequality filters, which join the implicit order. */
  inequalities: FieldPath[];
}

type Raw = Record<string, unknown>;

const INEQUALITY_OPS = new Set([
  "LESS_THAN",
  "LESS_THAN_OR_EQUAL",
  "GREATER_THAN",
  "GREATER_THAN_OR_EQUAL",
  "NOT_EQUAL",
  "NOT_IN",
]);
const MAX_DISJUNCTION_VALUES = 30;

export function readFieldPath(raw: unknown): FieldPath {
  const text = String((raw as Raw | undefined)?.fieldPath ?? "");
  return text === "__name__" ? ["__name__"] : parseFieldPath(text);
}

export function compileFilter(raw: Raw): CompiledFilter {
  const inequalities: FieldPath[] = [];
  const test = compile(raw, inequalities);
  return { test, inequalities };
}

function compile(raw: Raw, inequalities: FieldPath[]): Predicate {
  const type =
    (raw.filterType as string | undefined) ??
    ["compositeFilter", "fieldFilter", "unaryFilter"].find((k) => raw[k]);
  if (type === "compositeFilter") {
    const composite = raw.compositeFilter as Raw;
    const parts = ((composite.filters as Raw[] | undefined) ?? []).map((f) => compile(f, inequalities));
    if (composite.op === "OR") return (read) => parts.some((p) => p(read));
    if (composite.op === "AND" || composite.op === undefined) return (read) => parts.every((p) => p(read));
    throw invalidArgument(`Unsupported composite filter operator ${String(composite.op)}.`);
  }
  if (type === "fieldFilter") return compileFieldFilter(raw.fieldFilter as Raw, inequalities);
  if (type === "unaryFilter") return compileUnary(raw.unaryFilter as Raw, inequalities);
  throw invalidArgument("A filter must be a composite, field or unary filter.");
}

function addInequality(inequalities: FieldPath[], path: FieldPath): void {
  if (!inequalities.some((p) => p.join("\u0000") === path.join("\u0000"))) inequalities.push(path);
}

function compileUnary(raw: Raw, inequalities: FieldPath[]): Predicate {
  const path = readFieldPath(raw.field);
  switch (raw.op) {
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
    default:
      throw invalidArgument(`Unsupported unary filter operator ${String(raw.op)}.`);
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

function compileFieldFilter(raw: Raw, inequalities: FieldPath[]): Predicate {
  const path = readFieldPath(raw.field);
  const op = String(raw.op);
  const operand = normalizeValue(raw.value);
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
    default:
      throw invalidArgument(`Unsupported field filter operator ${op}.`);
  }
}
