/**
 * Validates a wire `StructuredQuery` and normalizes it into a plan: the scanned collection(s), the
 * compiled filter, the full order (explicit orders, then inequality fields, then `__name__`), cursors,
 * offset, limit and projection.
 */
import { invalidArgument } from "../shared/errors.js";
import { compareUtf8 } from "../shared/utf8.js";
import type { FieldPath } from "../store/field-path.js";
import { normalizeValue } from "../store/normalize.js";
import type { Value } from "../store/value.js";
import { type CompiledFilter, compileFilter, type Predicate, readFieldPath } from "./filter.js";

export interface Order {
  path: FieldPath;
  descending: boolean;
}

export interface Bound {
  values: Value[];
  before: boolean;
}

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

type Raw = Record<string, unknown>;

function isName(path: FieldPath): boolean {
  return path.length === 1 && path[0] === "__name__";
}

function samePath(a: FieldPath, b: FieldPath): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function readInt(raw: unknown): number | null {
  if (raw === undefined || raw === null) return null;
  const n = typeof raw === "object" ? Number((raw as Raw).value ?? 0) : Number(raw);
  if (!Number.isInteger(n) || n < 0) throw invalidArgument("Limit and offset must be non-negative integers.");
  return n;
}

function readBound(raw: Raw | undefined, orderBy: Order[]): Bound | null {
  if (!raw) return null;
  const values = ((raw.values as unknown[] | undefined) ?? []).map(normalizeValue);
  if (values.length > orderBy.length) {
    throw invalidArgument(
      "Too many cursor values specified. The specified values must match the orderBy() constraints of the query.",
    );
  }
  values.forEach((v, i) => {
    if (isName(orderBy[i]!.path) && !("referenceValue" in v)) {
      throw invalidArgument("Cursor values for __name__ must be document references.");
    }
  });
  return { values, before: Boolean(raw.before) };
}

export function planQuery(parent: string, query: Raw): QueryPlan {
  const from = (query.from as Raw[] | undefined) ?? [];
  if (from.length !== 1) throw invalidArgument("A query must select exactly one collection.");
  const selector = from[0]!;
  const collectionId = selector.collectionId ? String(selector.collectionId) : null;
  const allDescendants = Boolean(selector.allDescendants);
  if (!collectionId && !allDescendants) throw invalidArgument("A query must name a collection.");
  const compiled: CompiledFilter | null = query.where ? compileFilter(query.where as Raw) : null;
  const explicit = ((query.orderBy as Raw[] | undefined) ?? []).map(
    (o): Order => ({ path: readFieldPath(o.field), descending: o.direction === "DESCENDING" }),
  );
  const orderBy = [...explicit];
  const implicit = (compiled?.inequalities ?? [])
    .filter((p) => !isName(p) && !orderBy.some((o) => samePath(o.path, p)))
    .sort((a, b) => compareUtf8(a.join("."), b.join(".")));
  const lastDirection = explicit.length > 0 ? explicit[explicit.length - 1]!.descending : false;
  for (const path of implicit) orderBy.push({ path, descending: lastDirection });
  if (!orderBy.some((o) => isName(o.path))) orderBy.push({ path: ["__name__"], descending: lastDirection });
  const select = query.select as Raw | undefined;
  const projection = select
    ? ((select.fields as Raw[] | undefined) ?? []).map(readFieldPath).filter((p) => !isName(p))
    : null;
  return {
    parent,
    collectionId,
    allDescendants,
    filter: compiled?.test ?? null,
    orderBy,
    startAt: readBound(query.startAt as Raw | undefined, orderBy),
    endAt: readBound(query.endAt as Raw | undefined, orderBy),
    offset: readInt(query.offset) ?? 0,
    limit: readInt(query.limit),
    projection,
  };
}
