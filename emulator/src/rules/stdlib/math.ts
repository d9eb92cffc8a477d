import type { Result, RulesValue } from "../types/value.js";
import {
  type CallContext,
  checkInt,
  entry,
  isNumber,
  type MethodTable,
  noOverload,
  toFloat,
} from "./overload.js";

function numeric(name: string, fn: (x: bigint | number, ctx: CallContext) => Result) {
  return (_: null, [x]: RulesValue[], ctx: CallContext): Result =>
    isNumber(x!) ? fn(x, ctx) : noOverload(ctx, name, [x!]);
}

/** Rounds a float to an int, or fails for NaN and infinities. */
function toInt(f: number, ctx: CallContext): Result {
  if (!Number.isFinite(f)) return noOverload(ctx, "int", [f]);
  return checkInt(ctx, BigInt(f));
}

// biome-ignore format: one overload per line reads as a table
export const MATH_FUNCTIONS: MethodTable<null> = {
  "math.abs":        entry(1, numeric("math.abs", (x, c) => (typeof x === "bigint" ? checkInt(c, x < 0n ? -x : x) : Math.abs(x)))),
  "math.ceil":       entry(1, numeric("math.ceil", (x, c) => (typeof x === "bigint" ? x : toInt(Math.ceil(x), c)))),
  "math.floor":      entry(1, numeric("math.floor", (x, c) => (typeof x === "bigint" ? x : toInt(Math.floor(x), c)))),
  "math.round":      entry(1, numeric("math.round", (x, c) => (typeof x === "bigint" ? x : toInt(Math.sign(x) * Math.round(Math.abs(x)), c)))),
  "math.sqrt":       entry(1, numeric("math.sqrt", (x) => Math.sqrt(toFloat(x)))),
  "math.isInfinite": entry(1, numeric("math.isInfinite", (x) => typeof x === "number" && (x === Infinity || x === -Infinity))),
  "math.isNaN":      entry(1, numeric("math.isNaN", (x) => typeof x === "number" && Number.isNaN(x))),
  "math.pow":        entry(2, (_, [b, e], c) => (isNumber(b!) && isNumber(e!) ? toFloat(b) ** toFloat(e) : noOverload(c, "math.pow", [b!, e!]))),
};
