import type { Span } from "../source.js";
import { unknownInQuery } from "../types/error.js";
import type { Result, RulesPartial, RulesValue } from "../types/value.js";
import { typeName } from "../types/value.js";
import { isPartialList } from "./access.js";

/** `value is type`. A partly known value is a list (known by some elements) or else a map; more is unknown. */
export function isType(v: RulesValue, type: string, span: Span): Result {
  const actual = typeName(v);
  if (actual === "partial") {
    const list = isPartialList(v as RulesPartial);
    if (type === "map" || type === "list") return type === "list" ? list : !list;
    return unknownInQuery(span);
  }
  if (type === "number") return actual === "int" || actual === "float";
  return actual === type;
}
