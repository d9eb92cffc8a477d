/**
 * PartitionQuery: split points that divide a collection group query into parts of about equal size
 * (firebase-admin's `collectionGroup().getPartitions()`). As in production, the query must be a
 * collection group query ordered by `__name__` alone, with no filter, cursor, offset or limit; the
 * points are document names, fewer than asked for when there are too few documents.
 */
import { runQuery as execute } from "../query/execute.js";
import { planQuery } from "../query/plan.js";
import type { StructuredQuery } from "../query/structured-query.js";
import { invalidArgument } from "../shared/errors.js";
import { documentName } from "../shared/resource-path.js";
import type { CallContext } from "./context.js";
import type { ParentRef } from "./query.js";
import { checkQuery } from "./security.js";
import { type ReadConsistency, readTransaction, sourceAt } from "./transaction-options.js";

export interface PartitionQueryRequest {
  parent: ParentRef;
  query: StructuredQuery;
  /** The most split points wanted (at least 1). */
  partitionCount: number;
  /** 0: all at once. */
  pageSize: number;
  pageToken: string;
  consistency: ReadConsistency;
}

export interface PartitionQueryResponse {
  partitions: Array<{ values: Array<{ referenceValue: string }> }>;
  nextPageToken: string;
}

function checkPartitionable(query: StructuredQuery): void {
  const byName =
    query.orderBy.length === 0 ||
    (query.orderBy.length === 1 &&
      query.orderBy[0]!.path.length === 1 &&
      query.orderBy[0]!.path[0] === "__name__" &&
      !query.orderBy[0]!.descending);
  if (
    !query.allDescendants ||
    query.collectionId === null ||
    !byName ||
    query.where ||
    query.startAt ||
    query.endAt ||
    query.offset ||
    query.limit !== null
  ) {
    throw invalidArgument(
      "Partitioned queries must be collection group queries ordered by __name__ ascending, without filters, cursors, offset or limit.",
    );
  }
}

export function partitionQuery(ctx: CallContext, req: PartitionQueryRequest): PartitionQueryResponse {
  checkPartitionable(req.query);
  if (req.partitionCount < 1) throw invalidArgument("partition_count must be at least 1.");
  const start = req.pageToken === "" ? 0 : Number(req.pageToken);
  if (!Number.isInteger(start) || start < 0) throw invalidArgument("Invalid page token.");
  const { database: id, path } = req.parent;
  const db = ctx.databases.get(id);
  const now = ctx.clock.now();
  checkQuery(ctx, id, db.store, path, req.query, now);
  const source = sourceAt(db, readTransaction(db, req.consistency, now).readTime, now);
  const docs = execute(source, id, planQuery(path, req.query));
  // k points cut n documents into k + 1 runs of about n / (k + 1); no point without a document after it.
  const points = Math.min(req.partitionCount, Math.max(0, docs.length - 1));
  const all = Array.from({ length: points }, (_, i) => {
    const doc = docs[Math.floor(((i + 1) * docs.length) / (points + 1))]!;
    return { values: [{ referenceValue: documentName(id, doc.path) }] };
  });
  const end = req.pageSize > 0 ? Math.min(all.length, start + req.pageSize) : all.length;
  return { partitions: all.slice(start, end), nextPageToken: end < all.length ? String(end) : "" };
}
