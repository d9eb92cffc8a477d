/** count, sum and avg over a query's results, with Firestore's numeric rules. */
import type { StoredDoc } from "../store/document.js";
import { type FieldPath, getField } from "../store/field-path.js";
import type { Value } from "../store/value.js";
import type { Aggregation } from "./structured-query.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function sum(docs: StoredDoc[], path: FieldPath): { value: Value; count: number } {
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

export function aggregate(docs: StoredDoc[], aggregation: Aggregation): Value {
  switch (aggregation.kind) {
    case "count":
      return { integerValue: String(Math.min(docs.length, aggregation.upTo ?? Number.POSITIVE_INFINITY)) };
    case "sum":
      return sum(docs, aggregation.field).value;
    case "avg": {
      const { value, count } = sum(docs, aggregation.field);
      if (count === 0) return { nullValue: "NULL_VALUE" };
      const total =
        "integerValue" in value ? Number(value.integerValue) : (value as { doubleValue: number }).doubleValue;
      return { doubleValue: total / count };
    }
  }
}
