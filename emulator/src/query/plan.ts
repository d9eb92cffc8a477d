/**
 * Normalizes a decoded `StructuredQuery` into a plan: the scanned collection(s), the compiled filter, the
 * full order (explicit orders, then inequality fields, then `__name__`), cursors checked against that
 * order, offset, limit and projection.
 */
import { invalidArgument } from "../shared/errors.js";
import { compareUtf8 } from "../shared/utf8.js";
import type { FieldPath } from "../store/field-path.js";
import { type CompiledFilter, compileFilter, type Predicate } from "./filter.js";
import type { Bound, Order, StructuredQuery } from "./structured-query.js";

export interface QueryPlan {
  /** Parent path relative to `…/documents` ("" for the root). */
  parent: string;
  /** Null for a kindless all-descendants query. */
  collectionId: string | null;
  allDescendants: boolean;
  filter: Predicate | null;
  orderBy: Order[];
  startAt: Bound | null;
  endAt: Bound | null;
  offset: number;
  limit: number | null;
  projection: FieldPath[] | null;
}

function isName(path: FieldPath): boolean {
  return path.length === 1 && path[0] === "__name__";
}

function samePath(a: FieldPath, b: FieldPath): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function checkBound(bound: Bound | null, orderBy: Order[]): Bound | null {
  if (!bound) return null;
  if (bound.values.length > orderBy.length) {
    throw invalidArgument(
      "Too many cursor values specified. The specified values must match the orderBy() constraints of the query.",
    );
  }
  bound.values.forEach((v, i) => {
    if (isName(orderBy[i]!.path) && !("referenceValue" in v)) {
      throw invalidArgument("Cursor values for __name__ must be document references.");
    }
  });
  return bound;
}

export function planQuery(parent: string, query: StructuredQuery): QueryPlan {
  const compiled: CompiledFilter | null = query.where ? compileFilter(query.where) : null;
  const explicit = query.orderBy;
  const orderBy = [...explicit];
  const implicit = (compiled?.inequalities ?? [])
    .filter((p) => !isName(p) && !orderBy.some((o) => samePath(o.path, p)))
    .sort((a, b) => compareUtf8(a.join("."), b.join(".")));
  const lastDirection = explicit.length > 0 ? explicit[explicit.length - 1]!.descending : false;
  for (const path of implicit) orderBy.push({ path, descending: lastDirection });
  if (!orderBy.some((o) => isName(o.path))) orderBy.push({ path: ["__name__"], descending: lastDirection });
  return {
    parent,
    collectionId: query.collectionId,
    allDescendants: query.allDescendants,
    filter: compiled?.test ?? null,
    orderBy,
    startAt: checkBound(query.startAt, orderBy),
    endAt: checkBound(query.endAt, orderBy),
    offset: query.offset ?? 0,
    limit: query.limit,
    projection: query.select ? query.select.filter((p) => !isName(p)) : null,
  };
}
