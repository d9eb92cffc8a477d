/** Decodes a `StructuredQuery`, its filters and cursors, and aggregations into typed queries. */
import {
  type Aggregation,
  type Bound,
  FIELD_OPERATORS,
  type Filter,
  type Order,
  type StructuredQuery,
  UNARY_OPERATORS,
} from "../query/structured-query.js";
import { invalidArgument } from "../shared/errors.js";
import { type FieldPath, parseFieldPath } from "../store/field-path.js";
import {
  oneofCase,
  optionalObject,
  readArray,
  readInteger,
  readObject,
  readString,
  type WireObject,
} from "./object.js";
import { decodeValue } from "./value.js";

/** A `FieldReference` (`{fieldPath}`); `__name__` is the document's name. */
function decodeFieldReference(raw: unknown, what: string): FieldPath {
  const text = readString(readObject(raw, what).fieldPath, `${what}.fieldPath`);
  return text === "__name__" ? ["__name__"] : parseFieldPath(text);
}

function isOneOf<T extends string>(value: unknown, options: readonly T[]): value is T {
  return typeof value === "string" && (options as readonly string[]).includes(value);
}

function decodeFilter(raw: unknown): Filter {
  const filter = readObject(raw, "A filter");
  const type = oneofCase(filter, "filterType", ["compositeFilter", "fieldFilter", "unaryFilter"] as const);
  switch (type) {
    case "compositeFilter": {
      const composite = readObject(filter.compositeFilter, "compositeFilter");
      const op = composite.op ?? "AND";
      if (op !== "AND" && op !== "OR")
        throw invalidArgument(`Unsupported composite filter operator ${String(op)}.`);
      return {
        kind: "composite",
        op,
        filters: readArray(composite.filters, "compositeFilter.filters").map(decodeFilter),
      };
    }
    case "fieldFilter": {
      const f = readObject(filter.fieldFilter, "fieldFilter");
      if (!isOneOf(f.op, FIELD_OPERATORS))
        throw invalidArgument(`Unsupported field filter operator ${String(f.op)}.`);
      return {
        kind: "field",
        field: decodeFieldReference(f.field, "fieldFilter.field"),
        op: f.op,
        value: decodeValue(f.value),
      };
    }
    case "unaryFilter": {
      const f = readObject(filter.unaryFilter, "unaryFilter");
      if (!isOneOf(f.op, UNARY_OPERATORS))
        throw invalidArgument(`Unsupported unary filter operator ${String(f.op)}.`);
      return { kind: "unary", field: decodeFieldReference(f.field, "unaryFilter.field"), op: f.op };
    }
    default:
      throw invalidArgument("A filter must be a composite, field or unary filter.");
  }
}

function decodeOrder(raw: unknown): Order {
  const order = readObject(raw, "orderBy");
  const direction = order.direction ?? "ASCENDING";
  if (direction !== "ASCENDING" && direction !== "DESCENDING" && direction !== "DIRECTION_UNSPECIFIED")
    throw invalidArgument(`Unsupported order direction ${String(direction)}.`);
  return { path: decodeFieldReference(order.field, "orderBy.field"), descending: direction === "DESCENDING" };
}

function decodeBound(raw: unknown, what: string): Bound | null {
  const cursor = optionalObject(raw, what);
  if (!cursor) return null;
  return {
    values: readArray(cursor.values, `${what}.values`).map((v) => decodeValue(v)),
    before: Boolean(cursor.before),
  };
}

/** `offset` (int32) and `limit` (an Int32Value wrapper in gRPC, a bare number in JSON). */
function decodeCount(raw: unknown, what: string): number | null {
  const n = readInteger(raw, what);
  if (n !== null && n < 0) throw invalidArgument("Limit and offset must be non-negative integers.");
  return n;
}

export function decodeStructuredQuery(raw: unknown): StructuredQuery {
  const query = readObject(raw, "structuredQuery");
  const from = readArray(query.from, "structuredQuery.from");
  if (from.length !== 1) throw invalidArgument("A query must select exactly one collection.");
  const selector = readObject(from[0], "structuredQuery.from");
  const collectionId = readString(selector.collectionId, "structuredQuery.from.collectionId") || null;
  const allDescendants = Boolean(selector.allDescendants);
  if (!collectionId && !allDescendants) throw invalidArgument("A query must name a collection.");
  const select = optionalObject(query.select, "structuredQuery.select");
  return {
    collectionId,
    allDescendants,
    where: query.where ? decodeFilter(query.where) : null,
    orderBy: readArray(query.orderBy, "structuredQuery.orderBy").map(decodeOrder),
    startAt: decodeBound(query.startAt, "structuredQuery.startAt"),
    endAt: decodeBound(query.endAt, "structuredQuery.endAt"),
    offset: decodeCount(query.offset, "structuredQuery.offset"),
    limit: decodeCount(query.limit, "structuredQuery.limit"),
    select: select
      ? readArray(select.fields, "structuredQuery.select.fields").map((f) =>
          decodeFieldReference(f, "structuredQuery.select.fields"),
        )
      : null,
  };
}

function decodeAggregation(raw: unknown): Aggregation {
  const aggregation: WireObject = readObject(raw, "An aggregation");
  const alias = readString(aggregation.alias, "aggregation.alias");
  const type = oneofCase(aggregation, "operator", ["count", "sum", "avg"] as const);
  switch (type) {
    case "count": {
      const upTo = readInteger(readObject(aggregation.count, "count").upTo, "count.upTo");
      return { alias, kind: "count", upTo };
    }
    case "sum":
    case "avg":
      return {
        alias,
        kind: type,
        field: decodeFieldReference(readObject(aggregation[type], type).field, `${type}.field`),
      };
    default:
      throw invalidArgument("Unsupported aggregation.");
  }
}

/** A `StructuredAggregationQuery`: the query and at least one aggregation. */
export function decodeAggregationQuery(raw: unknown): {
  query: StructuredQuery;
  aggregations: Aggregation[];
} {
  const aggregationQuery = optionalObject(raw, "structuredAggregationQuery");
  if (!aggregationQuery?.structuredQuery)
    throw invalidArgument("RunAggregationQuery needs a structuredAggregationQuery.");
  const query = decodeStructuredQuery(aggregationQuery.structuredQuery);
  const aggregations = readArray(aggregationQuery.aggregations, "aggregations").map(decodeAggregation);
  if (aggregations.length === 0) throw invalidArgument("At least one aggregation is required.");
  return { query, aggregations };
}
