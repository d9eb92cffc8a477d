/** Orders documents by a normalized order and tests them against cursors. */
import { compareSegments, type DatabaseId, documentName } from "../shared/resource-path.js";
import type { StoredDoc } from "../store/document.js";
import { type FieldPath, getField } from "../store/field-path.js";
import { compareValues, type Value } from "../store/value.js";
import type { FieldReader } from "./filter.js";
import type { QueryPlan } from "./plan.js";
import type { Bound, Order } from "./structured-query.js";

function isName(path: FieldPath): boolean {
  return path.length === 1 && path[0] === "__name__";
}

export function fieldReader(db: DatabaseId, doc: StoredDoc): FieldReader {
  return (path) =>
    isName(path) ? { referenceValue: documentName(db, doc.path) } : getField(doc.fields, path);
}

export function compareDocs(orderBy: readonly Order[]): (a: StoredDoc, b: StoredDoc) => number {
  return (a, b) => {
    for (const order of orderBy) {
      const c = isName(order.path)
        ? compareSegments(a.segments, b.segments)
        : compareValues(getField(a.fields, order.path)!, getField(b.fields, order.path)!);
      if (c !== 0) return order.descending ? -c : c;
    }
    return 0;
  };
}

/** Every ordered field (other than `__name__`) must exist for a document to appear in the query. */
export function hasOrderFields(orderBy: readonly Order[], doc: StoredDoc): boolean {
  return orderBy.every((o) => isName(o.path) || getField(doc.fields, o.path) !== undefined);
}

function compareToBound(read: FieldReader, orderBy: readonly Order[], values: readonly Value[]): number {
  for (let i = 0; i < values.length; i++) {
    const order = orderBy[i]!;
    const c = compareValues(read(order.path)!, values[i]!);
    if (c !== 0) return order.descending ? -c : c;
  }
  return 0;
}

function withinBounds(read: FieldReader, plan: QueryPlan): boolean {
  return afterStart(read, plan.orderBy, plan.startAt) && beforeEnd(read, plan.orderBy, plan.endAt);
}

function afterStart(read: FieldReader, orderBy: readonly Order[], bound: Bound | null): boolean {
  if (!bound) return true;
  const c = compareToBound(read, orderBy, bound.values);
  return bound.before ? c >= 0 : c > 0;
}

function beforeEnd(read: FieldReader, orderBy: readonly Order[], bound: Bound | null): boolean {
  if (!bound) return true;
  const c = compareToBound(read, orderBy, bound.values);
  return bound.before ? c < 0 : c <= 0;
}

/** Whether a document passes the query's filter, order-field and cursor conditions (not offset/limit). */
export function matchesPlan(db: DatabaseId, plan: QueryPlan, doc: StoredDoc): boolean {
  if (!hasOrderFields(plan.orderBy, doc)) return false;
  const read = fieldReader(db, doc);
  if (plan.filter && !plan.filter(read)) return false;
  return withinBounds(read, plan);
}
