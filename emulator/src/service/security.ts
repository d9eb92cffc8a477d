/** Asks the rules gate about a request, in the gate's wire-shaped terms, unless the caller is the owner. */
import type { Filter, StructuredQuery } from "../query/structured-query.js";
import { EmulatorError } from "../shared/errors.js";
import type { DatabaseId } from "../shared/resource-path.js";
import type {
  DocumentLookup,
  GateContext,
  GateDecision,
  GateDocument,
  GateQuery,
  GateWrite,
} from "../shared/security.js";
import type { CommitPlan } from "../store/commit.js";
import type { StoredDoc } from "../store/document.js";
import { type FieldPath, formatFieldPath } from "../store/field-path.js";
import type { MemoryStore } from "../store/memory-store.js";
import { microsToTimestamp } from "../store/timestamp.js";
import type { CallContext } from "./context.js";

export function toGateDocument(doc: StoredDoc): GateDocument {
  return {
    path: doc.path,
    fields: doc.fields,
    createTime: microsToTimestamp(doc.createTime),
    updateTime: microsToTimestamp(doc.updateTime),
  };
}

function fieldReference(path: FieldPath): { fieldPath: string } {
  return { fieldPath: formatFieldPath(path) };
}

function wireFilter(filter: Filter): Record<string, unknown> {
  switch (filter.kind) {
    case "composite":
      return { compositeFilter: { op: filter.op, filters: filter.filters.map(wireFilter) } };
    case "field":
      return { fieldFilter: { field: fieldReference(filter.field), op: filter.op, value: filter.value } };
    case "unary":
      return { unaryFilter: { field: fieldReference(filter.field), op: filter.op } };
  }
}

/** The gate judges queries as sent on the wire (GateQuery), so the decoded query is encoded back. */
function toGateQuery(parent: string, query: StructuredQuery): GateQuery {
  const structuredQuery: Record<string, unknown> = {
    from: [
      query.collectionId === null
        ? { allDescendants: query.allDescendants }
        : { collectionId: query.collectionId, allDescendants: query.allDescendants },
    ],
    orderBy: query.orderBy.map((o) => ({
      field: fieldReference(o.path),
      direction: o.descending ? "DESCENDING" : "ASCENDING",
    })),
  };
  if (query.where) structuredQuery.where = wireFilter(query.where);
  if (query.startAt) structuredQuery.startAt = query.startAt;
  if (query.endAt) structuredQuery.endAt = query.endAt;
  if (query.offset !== null) structuredQuery.offset = query.offset;
  if (query.limit !== null) structuredQuery.limit = { value: query.limit };
  if (query.select) structuredQuery.select = { fields: query.select.map(fieldReference) };
  return { parent, structuredQuery };
}

function lookup(store: MemoryStore, overlay?: Map<string, StoredDoc | null>): DocumentLookup {
  return {
    get(path) {
      const doc = overlay?.has(path) ? overlay.get(path)! : store.get(path);
      return doc ? toGateDocument(doc) : null;
    },
  };
}

function gateContext(
  ctx: CallContext,
  db: DatabaseId,
  store: MemoryStore,
  timeMicros: number,
  overlay?: Map<string, StoredDoc | null>,
): GateContext {
  const before = lookup(store);
  return {
    project: db.project,
    database: db.database,
    auth: ctx.principal.owner ? null : ctx.principal.auth,
    time: new Date(Math.floor(timeMicros / 1000)),
    before,
    after: overlay ? lookup(store, overlay) : before,
  };
}

function enforce(decision: GateDecision): void {
  if (!decision.allowed) throw new EmulatorError("PERMISSION_DENIED", decision.message);
}

/** Returns the gate to consult, or null when the caller bypasses rules or none are loaded. */
function activeGate(ctx: CallContext, db: DatabaseId) {
  return ctx.principal.owner ? null : ctx.gate(db.project);
}

export function checkGet(
  ctx: CallContext,
  db: DatabaseId,
  store: MemoryStore,
  paths: string[],
  time: number,
): void {
  const gate = activeGate(ctx, db);
  if (!gate) return;
  const gctx = gateContext(ctx, db, store, time);
  for (const path of paths) enforce(gate.checkGet(path, gctx));
}

export function checkQuery(
  ctx: CallContext,
  db: DatabaseId,
  store: MemoryStore,
  parent: string,
  query: StructuredQuery,
  time: number,
): void {
  const gate = activeGate(ctx, db);
  if (!gate) return;
  enforce(gate.checkQuery(toGateQuery(parent, query), gateContext(ctx, db, store, time)));
}

export function checkWrites(ctx: CallContext, db: DatabaseId, store: MemoryStore, plan: CommitPlan): void {
  const gate = activeGate(ctx, db);
  if (!gate) return;
  const writes: GateWrite[] = [];
  for (const w of plan.writes) {
    if (w.op.kind === "verify") continue;
    const method = w.op.kind === "delete" ? "delete" : w.before ? "update" : "create";
    writes.push({
      path: w.op.path,
      method,
      before: w.before ? toGateDocument(w.before) : null,
      after: w.after ? toGateDocument(w.after) : null,
    });
  }
  if (writes.length === 0) return;
  enforce(gate.checkWrites(writes, gateContext(ctx, db, store, plan.commitTime, plan.overlay)));
}
