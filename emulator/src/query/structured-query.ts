/**
 * A `google.firestore.v1.StructuredQuery` and its aggregations as typed values (decoded by wire/query.ts):
 * field references are parsed paths, operands canonical values, enums names. planQuery turns one into a
 * runnable plan.
 */
import type { FieldPath } from "../store/field-path.js";
import type { Value } from "../store/value.js";

export const FIELD_OPERATORS = [
  "LESS_THAN",
  "LESS_THAN_OR_EQUAL",
  "GREATER_THAN",
  "GREATER_THAN_OR_EQUAL",
  "EQUAL",
  "NOT_EQUAL",
  "ARRAY_CONTAINS",
  "IN",
  "ARRAY_CONTAINS_ANY",
  "NOT_IN",
] as const;
export type FieldOperator = (typeof FIELD_OPERATORS)[number];

export const UNARY_OPERATORS = ["IS_NAN", "IS_NULL", "IS_NOT_NAN", "IS_NOT_NULL"] as const;
export type UnaryOperator = (typeof UNARY_OPERATORS)[number];

export type Filter =
  | { kind: "composite"; op: "AND" | "OR"; filters: Filter[] }
  | { kind: "field"; field: FieldPath; op: FieldOperator; value: Value }
  | { kind: "unary"; field: FieldPath; op: UnaryOperator };

export interface Order {
  path: FieldPath;
  descending: boolean;
}

/** A cursor (`startAt`/`endAt`): values in order-by order, and whether it sits before them. */
export interface Bound {
  values: Value[];
  before: boolean;
}

export interface StructuredQuery {
  /** The collection id; null for a kindless all-descendants query. */
  collectionId: string | null;
  allDescendants: boolean;
  where: Filter | null;
  /** The explicit orders only; planQuery adds the implicit ones. */
  orderBy: Order[];
  startAt: Bound | null;
  endAt: Bound | null;
  /** Null when not sent (rules see `request.query.offset` as null then). */
  offset: number | null;
  limit: number | null;
  /** The `select` projection as sent (may name `__name__`); null when there is none. */
  select: FieldPath[] | null;
}

export type Aggregation =
  | { alias: string; kind: "count"; upTo: number | null }
  | { alias: string; kind: "sum" | "avg"; field: FieldPath };

/** The query that lists one collection (ListDocuments is judged by rules as this query). */
export function collectionQuery(collectionId: string): StructuredQuery {
  return {
    collectionId,
    allDescendants: false,
    where: null,
    orderBy: [],
    startAt: null,
    endAt: null,
    offset: null,
    limit: null,
    select: null,
  };
}
