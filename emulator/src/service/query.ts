/** RunQuery and RunAggregationQuery. */
import { aggregate } from "../query/aggregate.js";
import { runQuery as execute } from "../query/execute.js";
import { planQuery } from "../query/plan.js";
import type { Aggregation, StructuredQuery } from "../query/structured-query.js";
import type { DatabaseId } from "../shared/resource-path.js";
import type { Database } from "../store/databases.js";
import { type StoredDoc, toWireDocument, type WireDocument } from "../store/document.js";
import { microsToTimestamp, type Timestamp } from "../store/timestamp.js";
import type { Value } from "../store/value.js";
import type { CallContext } from "./context.js";
import { checkQuery } from "./security.js";
import { type ReadConsistency, readTransaction } from "./transaction-options.js";

/** A query's parent: the database and the path relative to its `…/documents` ("" for the root). */
export interface ParentRef {
  database: DatabaseId;
  path: string;
}

export interface RunQueryRequest {
  parent: ParentRef;
  query: StructuredQuery;
  consistency: ReadConsistency;
}

export interface RunAggregationQueryRequest extends RunQueryRequest {
  /** At least one. */
  aggregations: Aggregation[];
}

export interface RunQueryResponse {
  document?: WireDocument;
  readTime: Timestamp;
  transaction?: Buffer;
}

export interface RunAggregationQueryResponse {
  result: { aggregateFields: Record<string, Value> };
  readTime: Timestamp;
  transaction?: Buffer;
}

function signature(docs: StoredDoc[]): string {
  return docs.map((d) => `${d.path}@${d.updateTime}`).join("|");
}

/** Runs the query, checks rules, and records it in the transaction so a changed result aborts the commit. */
function runChecked(ctx: CallContext, req: RunQueryRequest, now: number) {
  const { database: id, path } = req.parent;
  const db: Database = ctx.databases.get(id);
  const plan = planQuery(path, req.query);
  const tx = readTransaction(db, req.consistency, Math.floor(now / 1000));
  checkQuery(ctx, id, db.store, path, req.query, now);
  const docs = execute(db.store, id, plan);
  if (tx.id) {
    const seen = signature(docs);
    db.transactions.recordCheck(tx.id, () => signature(execute(db.store, id, plan)) === seen);
  }
  return { id, plan, docs, tx };
}

export function runQuery(ctx: CallContext, req: RunQueryRequest): RunQueryResponse[] {
  const now = ctx.clock.now();
  const { id, plan, docs, tx } = runChecked(ctx, req, now);
  const readTime = microsToTimestamp(now);
  const out: RunQueryResponse[] = [];
  if (tx.started || docs.length === 0)
    out.push(tx.started ? { transaction: tx.started, readTime } : { readTime });
  for (const doc of docs)
    out.push({ document: toWireDocument(id, doc, plan.projection ?? undefined), readTime });
  return out;
}

export function runAggregationQuery(
  ctx: CallContext,
  req: RunAggregationQueryRequest,
): RunAggregationQueryResponse {
  const now = ctx.clock.now();
  const { docs, tx } = runChecked(ctx, req, now);
  const aggregateFields: Record<string, Value> = {};
  req.aggregations.forEach((a, i) => {
    aggregateFields[a.alias || `field_${i + 1}`] = aggregate(docs, a);
  });
  const response: RunAggregationQueryResponse = {
    result: { aggregateFields },
    readTime: microsToTimestamp(now),
  };
  if (tx.started) response.transaction = tx.started;
  return response;
}
