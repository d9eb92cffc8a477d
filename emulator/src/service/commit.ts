/** Writes: Commit (atomic), BatchWrite (independent writes), BeginTransaction and Rollback. */
import { EmulatorError, invalidArgument, isEmulatorError, STATUS_NUMBER } from "../shared/errors.js";
import { randomToken } from "../shared/ids.js";
import type { DatabaseId } from "../shared/resource-path.js";
import { type CommitPlan, planCommit } from "../store/commit.js";
import type { Database } from "../store/databases.js";
import { fieldsSize, MAX_REQUEST_BYTES } from "../store/limits.js";
import type { CommitOrigin } from "../store/memory-store.js";
import { microsToTimestamp, type Timestamp } from "../store/timestamp.js";
import type { Value } from "../store/value.js";
import type { WriteOp } from "../store/write-op.js";
import type { CallContext } from "./context.js";
import { checkWrites } from "./security.js";
import type { TransactionOptions } from "./transaction-options.js";

export interface CommitRequest {
  database: DatabaseId;
  /** Every write is in `database`. */
  writes: WriteOp[];
  transaction: Buffer | null;
}

export interface BatchWriteRequest {
  database: DatabaseId;
  writes: WriteOp[];
}

export interface BeginTransactionRequest extends TransactionOptions {
  database: DatabaseId;
}

export interface RollbackRequest {
  database: DatabaseId;
  transaction: Buffer | null;
}

/** A write's result; empty for a BatchWrite write that failed. */
export interface WriteResultMessage {
  updateTime?: Timestamp;
  transformResults?: Value[];
}

export interface CommitResponse {
  writeResults: WriteResultMessage[];
  commitTime: Timestamp;
}

export interface BatchWriteResponse {
  writeResults: WriteResultMessage[];
  status: Array<{ code: number; message?: string }>;
}

function checkRequestSize(ops: WriteOp[]): void {
  const size = ops.reduce((sum, op) => sum + fieldsSize(op.fields), 0);
  if (size > MAX_REQUEST_BYTES) {
    throw invalidArgument(`Request payload size exceeds the limit: ${MAX_REQUEST_BYTES} bytes.`);
  }
}

function wireResults(plan: CommitPlan): WriteResultMessage[] {
  return plan.results.map((r) => {
    const out: WriteResultMessage = { transformResults: r.transformResults };
    if (r.updateTime !== null) out.updateTime = microsToTimestamp(r.updateTime);
    return out;
  });
}

function origin(ctx: CallContext): CommitOrigin {
  if (ctx.principal.owner) return { authType: "system" };
  const auth = ctx.principal.auth;
  return auth ? { authType: "app_user", authId: auth.uid } : { authType: "unauthenticated" };
}

/** Every document a batch changes (a verify only reads). */
function writtenPaths(ops: WriteOp[]): string[] {
  return ops.filter((op) => op.kind !== "verify").map((op) => op.path);
}

/**
 * Plans, authorizes and applies one atomic batch, holding the locks of the documents it writes; a
 * transaction's commit also ends the transaction. Shared by Commit and the Write stream.
 */
export async function commitWrites(
  ctx: CallContext,
  db: Database,
  ops: WriteOp[],
  transaction?: Uint8Array,
): Promise<CommitResponse> {
  // Contention is checked first: a transaction whose reads went stale must see ABORTED (and retry),
  // not the precondition failure its stale writes would now cause.
  const release =
    transaction && transaction.length > 0
      ? await db.transactions.commit(transaction, db.store, writtenPaths(ops), ctx.signal)
      : await db.transactions.lockWrite(writtenPaths(ops), ctx.signal);
  try {
    const plan = planCommit(db.store, ops, ctx.clock.now());
    checkWrites(ctx, db.id, db.store, plan);
    db.store.apply({ ...plan.event, origin: origin(ctx) });
    return { writeResults: wireResults(plan), commitTime: microsToTimestamp(plan.commitTime) };
  } finally {
    release();
  }
}

export function commit(ctx: CallContext, req: CommitRequest): Promise<CommitResponse> {
  const db = ctx.databases.get(req.database);
  try {
    checkRequestSize(req.writes);
  } catch (error) {
    // A refused commit still ends its transaction, releasing what it locked.
    if (req.transaction) db.transactions.rollback(req.transaction);
    throw error;
  }
  return commitWrites(ctx, db, req.writes, req.transaction ?? undefined);
}

export async function batchWrite(ctx: CallContext, req: BatchWriteRequest): Promise<BatchWriteResponse> {
  if (!ctx.principal.owner)
    throw new EmulatorError("PERMISSION_DENIED", "Batch writes require admin authentication.");
  const db = ctx.databases.get(req.database);
  checkRequestSize(req.writes);
  const seen = new Set<string>();
  for (const op of req.writes) {
    if (seen.has(op.path)) {
      throw invalidArgument("the same document cannot be written more than once in a single request");
    }
    seen.add(op.path);
  }
  const writeResults: WriteResultMessage[] = [];
  const status: BatchWriteResponse["status"] = [];
  for (const op of req.writes) {
    try {
      writeResults.push((await commitWrites(ctx, db, [op])).writeResults[0]!);
      status.push({ code: 0 });
    } catch (error) {
      if (!isEmulatorError(error)) throw error;
      writeResults.push({});
      status.push({ code: STATUS_NUMBER[error.code], message: error.message });
    }
  }
  return { writeResults, status };
}

export function beginTransaction(ctx: CallContext, req: BeginTransactionRequest): { transaction: Buffer } {
  const db = ctx.databases.get(req.database);
  return {
    transaction: db.transactions.begin(
      req.readOnly,
      randomToken(),
      Math.floor(ctx.clock.now() / 1000),
      req.retryOf,
      ctx.clock.now(),
    ),
  };
}

export function rollback(ctx: CallContext, req: RollbackRequest): Record<string, never> {
  if (req.transaction) ctx.databases.get(req.database).transactions.rollback(req.transaction);
  return {};
}
