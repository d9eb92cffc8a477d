/** count, sum and avg over a query's results, with Firestore's numeric rules. */
import { invalidArgument } from "../shared/errors.js";
import type { StoredDoc } from "../store/document.js";
import { getField } from "../store/field-path.js";
import type { Value } from "../store/value.js";
import { readFieldPath } from "./filter.js";

type Raw = Record<string, unknown>;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function sum(docs: StoredDoc[], field: unknown): { value: Value; count: number } {
  const path = readFieldPath(field);
  let intSum = 0n;
  let doubleSum = 0;
  let allInts = true;
  let count = 0;
  for (const doc of docs) {
    const v = getField(doc.fields, path);
    if (v === undefined) continue;
    if ("integerValue" in v) {
      intSum += BigInt(v.integerValue);
      count++;
    } else if ("doubleValue" in v) {
      doubleSum += v.doubleValue;
      allInts = false;
      count++;
    }
  }
  if (allInts && intSum >= INT64_MIN && intSum <= INT64_MAX)
    return { value: { integerValue: intSum.toString() }, count };
  return { value: { doubleValue: doubleSum + Number(intSum) }, count };
}

export function aggregate(docs: StoredDoc[], aggregation: Raw): Value {
  const type =
    (aggregation.operator as string | undefined) ?? ["count", "sum", "avg"].find((k) => aggregation[k]);
  switch (type) {
    case "count": {
      const upTo = (aggregation.count as Raw | null)?.upTo as Raw | undefined;
      const limit = upTo?.value !== undefined ? Number(upTo.value) : Number.POSITIVE_INFINITY;
      return { integerValue: String(Math.min(docs.length, limit)) };
    }
    case "sum":
      return sum(docs, (aggregation.sum as Raw).field).value;
    case "avg": {
      const { value, count } = sum(docs, (aggregation.avg as Raw).field);
      if (count === 0) return { nullValue: "NULL_VALUE" };
      const total =
        "integerValue" in value ? Number(value.integerValue) : (value as { doubleValue: number }).doubleValue;
      return { doubleValue: total / count };
    }
    default:
      throw invalidArgument("Unsupported aggregation.");
  }
}
