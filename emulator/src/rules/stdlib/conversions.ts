import { isKind, type Result, type RulesValue } from "../types/value.js";
import {
  type CallContext,
  checkInt,
  entry,
  invalidArgument,
  type MethodTable,
  noOverload,
} from "./overload.js";
import { parsePath } from "./path.js";

function toInt(_: null, [x]: RulesValue[], ctx: CallContext): Result {
  if (typeof x === "bigint") return x;
  if (typeof x === "number")
    return Number.isFinite(x)
      ? checkInt(ctx, BigInt(Math.trunc(x)))
      : invalidArgument(ctx, "Cannot convert to int.");
  if (typeof x === "string" && /^[+-]?\d+$/.test(x.trim())) return checkInt(ctx, BigInt(x.trim()));
  return typeof x === "string"
    ? invalidArgument(ctx, "Cannot convert the string to int.")
    : noOverload(ctx, "int", [x!]);
}

function toFloat(_: null, [x]: RulesValue[], ctx: CallContext): Result {
  if (typeof x === "number") return x;
  if (typeof x === "bigint") return Number(x);
  if (typeof x === "string") {
    const f = Number(x.trim());
    return x.trim() !== "" && !Number.isNaN(f)
      ? f
      : x.trim() === "NaN"
        ? Number.NaN
        : invalidArgument(ctx, "Cannot convert the string to float.");
  }
  return noOverload(ctx, "float", [x!]);
}

function toText(_: null, [x]: RulesValue[], ctx: CallContext): Result {
  if (x === null) return "null";
  switch (typeof x) {
    case "string":
      return x;
    case "boolean":
    case "bigint":
      return String(x);
    case "number":
      return Number.isInteger(x) ? x.toFixed(1) : String(x);
  }
  if (isKind(x, "path")) return `/${x.segments.join("/")}`;
  return noOverload(ctx, "string", [x!]);
}

// biome-ignore format: one overload per line reads as a table
export const CONVERSION_FUNCTIONS: MethodTable<null> = {
  int:    entry(1, toInt),
  float:  entry(1, toFloat),
  string: entry(1, toText),
  path:   entry(1, (_, [x], c) => (typeof x === "string" ? parsePath(x) : noOverload(c, "path", [x!]))),
  debug:  entry(1, (_, [x], c) => { c.runtime.debug(x!, c.span); return x!; }),
};
