import type { Span } from "../source.js";
import { rulesError } from "../types/error.js";
import type { Result, RulesValue } from "../types/value.js";
import { typeName } from "../types/value.js";

/** `value is type`. A partly known value is always a map; whether it is anything else is unknown. */
export function isType(v: RulesValue, type: string, span: Span): Result {
  const actual = typeName(v);
  if (actual === "partial") {
    if (type === "map") return true;
    return rulesError("unknown-in-query", "Value is not known from the query.", span);
  }
  if (type === "number") return actual === "int" || actual === "float";
  return actual === type;
}
