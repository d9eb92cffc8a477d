/** Server-side field transforms (server timestamp, increment, min/max, array union/remove). */

import { microsToTimestamp } from "./timestamp.js";
import { arrayValues, compareNumbers, isNumber, type Value, valuesEqual } from "./value.js";
import type { Transform } from "./write-op.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function add(a: Value, b: Value): Value {
  if ("integerValue" in a && "integerValue" in b) {
    const sum = BigInt(a.integerValue) + BigInt(b.integerValue);
    // Firestore saturates integer increments instead of wrapping.
    const clamped = sum > INT64_MAX ? INT64_MAX : sum < INT64_MIN ? INT64_MIN : sum;
    return { integerValue: clamped.toString() };
  }
  return { doubleValue: toDouble(a) + toDouble(b) };
}

function toDouble(v: Value): number {
  return "integerValue" in v ? Number(v.integerValue) : (v as { doubleValue: number }).doubleValue;
}

/** The field's value after the transform; `current` is undefined when the field is absent. */
export function applyTransform(t: Transform, current: Value | undefined, commitTime: number): Value {
  switch (t.kind) {
    case "serverTime":
      // Like the official emulator, server timestamps carry milliseconds (commit times keep microseconds).
      return { timestampValue: microsToTimestamp(Math.floor(commitTime / 1000) * 1000) };
    case "increment":
      return current !== undefined && isNumber(current) ? add(current, t.operand) : t.operand;
    case "maximum":
      if (current === undefined || !isNumber(current)) return t.operand;
      return compareNumbers(t.operand, current) > 0 ? t.operand : current;
    case "minimum":
      if (current === undefined || !isNumber(current)) return t.operand;
      return compareNumbers(t.operand, current) < 0 ? t.operand : current;
    case "append": {
      const values = current !== undefined && "arrayValue" in current ? [...arrayValues(current)] : [];
      for (const e of t.elements) if (!values.some((v) => valuesEqual(v, e))) values.push(e);
      return { arrayValue: { values } };
    }
    case "remove": {
      const values = current !== undefined && "arrayValue" in current ? arrayValues(current) : [];
      return { arrayValue: { values: values.filter((v) => !t.elements.some((e) => valuesEqual(v, e))) } };
    }
  }
}
