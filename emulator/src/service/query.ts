/** RunQuery and RunAggregationQuery. */
import { aggregate } from "../query/aggregate.js";
import { runQuery as execute } from "../query/execute.js";
import { planQuery } from "../query/plan.js";
import { invalidArgument } from "../shared/errors.js";
import { parseParentName } from "../shared/resource-path.js";
import type { Database } from "../store/databases.js";
import { type StoredDoc, toWireDocument } from "../store/document.js";
import { microsToTimestamp } from "../store/timestamp.js";
import type { CallContext } from "./context.js";
import { checkQuery } from "./security.js";
import { readTransaction } from "./transaction-options.js";

type Raw = Record<string, unknown>;

function signature(docs: StoredDoc[]): string {
  return docs.map((d) => `${d.path}@${d.updateTime}`).join("|");
}

/** Runs the query, checks rules, and records it in the transaction so a changed result aborts the commit. */
function runChecked(ctx: CallContext, req: Raw, structuredQuery: Raw, now: number) {
  const { db: id, path } = parseParentName(String(req.parent ?? ""));
  const db: Database = ctx.databases.get(id);
  const plan = planQuery(path, structuredQuery);
  const tx = readTransaction(db, req, Math.floor(now / 1000));
  checkQuery(ctx, id, db.store, path, structuredQuery, now);
  const docs = execute(db.store, id, plan);
  if (tx.id) {
    const seen = signature(docs);
    db.transactions.recordCheck(tx.id, () => signature(execute(db.store, id, plan)) === seen);
  }
  return { id, plan, docs, tx };
}

export function runQuery(ctx: CallContext, req: Raw): Raw[] {
  const structuredQuery = req.structuredQuery as Raw | undefined;
  if (!structuredQuery) throw invalidArgument("RunQuery needs a structuredQuery.");
  const now = ctx.clock.now();
  const { id, plan, docs, tx } = runChecked(ctx, req, structuredQuery, now);
  const readTime = microsToTimestamp(now);
  const out: Raw[] = [];
  if (tx.started || docs.length === 0)
    out.push(tx.started ? { transaction: tx.started, readTime } : { readTime });
  for (const doc of docs)
    out.push({ document: toWireDocument(id, doc, plan.projection ?? undefined), readTime });
  return out;
}

export function runAggregationQuery(ctx: CallContext, req: Raw): Raw {
  const aggregationQuery = req.structuredAggregationQuery as Raw | undefined;
  const structuredQuery = aggregationQuery?.structuredQuery as Raw | undefined;
  if (!aggregationQuery || !structuredQuery)
    throw invalidArgument("RunAggregationQuery needs a structuredAggregationQuery.");
  const aggregations = (aggregationQuery.aggregations as Raw[] | undefined) ?? [];
  if (aggregations.length === 0) throw invalidArgument("At least one aggregation is required.");
  const now = ctx.clock.now();
  const { docs, tx } = runChecked(ctx, req, structuredQuery, now);
  const aggregateFields: Raw = {};
  aggregations.forEach((a, i) => {
    aggregateFields[String(a.alias || `field_${i + 1}`)] = aggregate(docs, a);
  });
  const response: Raw = { result: { aggregateFields }, readTime: microsToTimestamp(now) };
  if (tx.started) response.transaction = tx.started;
  return response;
}
