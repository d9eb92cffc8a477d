/** RunQuery and RunAggregationQuery. */
import { aggregate } from "../query/aggregate.js";
import { runQuery as execute } from "../query/execute.js";
import { planQuery } from "../query/plan.js";
import type { Aggregation, StructuredQuery } from "../query/structured-query.js";
import { EmulatorError } from "../shared/errors.js";
import type { DatabaseId } from "../shared/resource-path.js";
import type { Database } from "../store/databases.js";
import { type StoredDoc, toWireDocument, type WireDocument } from "../store/document.js";
import { microsToTimestamp, type Timestamp } from "../store/timestamp.js";
import type { Value } from "../store/value.js";
import type { CallContext } from "./context.js";
import { checkQuery } from "./security.js";
import { type ReadConsistency, readTransaction, sourceAt } from "./transaction-options.js";

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

/** Lock rounds before a transactional query gives up chasing results that keep changing under it. */
const MAX_LOCK_ROUNDS = 5;

/**
 * Runs the query and checks rules. In a read-write transaction the results are locked; results that
 * changed while the locks were awaited are run again, and the query is recorded so a result changed by
 * a document it did not lock (a new match) still aborts the commit.
 */
async function runChecked(ctx: CallContext, req: RunQueryRequest) {
  const { database: id, path } = req.parent;
  const db: Database = ctx.databases.get(id);
  const plan = planQuery(path, req.query);
  const tx = readTransaction(db, req.consistency, ctx.clock.now());
  checkQuery(ctx, id, db.store, path, req.query, ctx.clock.now());
  const now = ctx.clock.now();
  const source = sourceAt(db, tx.readTime, now);
  let docs = execute(source, id, plan);
  if (tx.id) {
    for (let round = 0; ; round++) {
      const seen = signature(docs);
      await db.transactions.lock(
        tx.id,
        docs.map((d) => d.path),
        ctx.signal,
      );
      docs = execute(db.store, id, plan);
      if (signature(docs) === seen) break;
      if (round === MAX_LOCK_ROUNDS) {
        db.transactions.rollback(tx.id);
        throw new EmulatorError("ABORTED", "Too much contention on the documents this query reads.");
      }
    }
    const seen = signature(docs);
    db.transactions.recordCheck(tx.id, () => signature(execute(db.store, id, plan)) === seen);
  }
  return { id, plan, docs, tx, now: tx.readTime === null ? ctx.clock.now() : Math.min(tx.readTime, now) };
}

export async function runQuery(ctx: CallContext, req: RunQueryRequest): Promise<RunQueryResponse[]> {
  const { id, plan, docs, tx, now } = await runChecked(ctx, req);
  const readTime = microsToTimestamp(now);
  const out: RunQueryResponse[] = [];
  if (tx.started || docs.length === 0)
    out.push(tx.started ? { transaction: tx.started, readTime } : { readTime });
  for (const doc of docs)
    out.push({ document: toWireDocument(id, doc, plan.projection ?? undefined), readTime });
  return out;
}

export async function runAggregationQuery(
  ctx: CallContext,
  req: RunAggregationQueryRequest,
): Promise<RunAggregationQueryResponse> {
  const { docs, tx, now } = await runChecked(ctx, req);
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
