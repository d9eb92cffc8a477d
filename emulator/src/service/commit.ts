/** Writes: Commit (atomic), BatchWrite (independent writes), BeginTransaction and Rollback. */
import { EmulatorError, invalidArgument, isEmulatorError, STATUS_NUMBER } from "../shared/errors.js";
import { randomToken } from "../shared/ids.js";
import { type DatabaseId, parseDatabaseName } from "../shared/resource-path.js";
import { type CommitPlan, planCommit } from "../store/commit.js";
import type { Database } from "../store/databases.js";
import { fieldsSize, MAX_REQUEST_BYTES } from "../store/limits.js";
import type { CommitOrigin } from "../store/memory-store.js";
import { microsToTimestamp } from "../store/timestamp.js";
import { parseWrite, type WriteOp } from "../store/write-op.js";
import type { CallContext } from "./context.js";
import { checkWrites } from "./security.js";

type Raw = Record<string, unknown>;

function parseWrites(id: DatabaseId, raw: unknown): WriteOp[] {
  const ops = ((raw as Raw[] | undefined) ?? []).map((w) => parseWrite(w, id));
  const size = ops.reduce((sum, op) => sum + fieldsSize(op.fields), 0);
  if (size > MAX_REQUEST_BYTES) {
    throw invalidArgument(`Request payload size exceeds the limit: ${MAX_REQUEST_BYTES} bytes.`);
  }
  return ops;
}

function wireResults(plan: CommitPlan): Raw[] {
  return plan.results.map((r) => {
    const out: Raw = { transformResults: r.transformResults };
    if (r.updateTime !== null) out.updateTime = microsToTimestamp(r.updateTime);
    return out;
  });
}

function origin(ctx: CallContext): CommitOrigin {
  if (ctx.principal.owner) return { authType: "system" };
  const auth = ctx.principal.auth;
  return auth ? { authType: "app_user", authId: auth.uid } : { authType: "unauthenticated" };
}

/** Plans, authorizes and applies one atomic batch. Shared by Commit and the Write stream. */
export function commitWrites(ctx: CallContext, db: Database, ops: WriteOp[], transaction?: Uint8Array): Raw {
  // Contention is checked first: a transaction whose reads went stale must see ABORTED (and retry),
  // not the precondition failure its stale writes would now cause.
  if (transaction && transaction.length > 0) db.transactions.commit(transaction, db.store, ops.length > 0);
  const plan = planCommit(db.store, ops, ctx.clock.now());
  checkWrites(ctx, db.id, db.store, plan);
  db.store.apply({ ...plan.event, origin: origin(ctx) });
  return { writeResults: wireResults(plan), commitTime: microsToTimestamp(plan.commitTime) };
}

export function commit(ctx: CallContext, req: Raw): Raw {
  const id = parseDatabaseName(String(req.database ?? ""));
  const db = ctx.databases.get(id);
  const ops = parseWrites(id, req.writes);
  const transaction = req.transaction as Uint8Array | undefined;
  if (transaction && transaction.length > 0) {
    try {
      return commitWrites(ctx, db, ops, transaction);
    } catch (error) {
      db.transactions.rollback(transaction);
      throw error;
    }
  }
  return commitWrites(ctx, db, ops);
}

export function batchWrite(ctx: CallContext, req: Raw): Raw {
  if (!ctx.principal.owner)
    throw new EmulatorError("PERMISSION_DENIED", "Batch writes require admin authentication.");
  const id = parseDatabaseName(String(req.database ?? ""));
  const db = ctx.databases.get(id);
  const ops = parseWrites(id, req.writes);
  const seen = new Set<string>();
  for (const op of ops) {
    if (seen.has(op.path)) {
      throw invalidArgument("the same document cannot be written more than once in a single request");
    }
    seen.add(op.path);
  }
  const writeResults: Raw[] = [];
  const status: Raw[] = [];
  for (const op of ops) {
    try {
      const result = commitWrites(ctx, db, [op]);
      writeResults.push((result.writeResults as Raw[])[0]!);
      status.push({ code: 0 });
    } catch (error) {
      if (!isEmulatorError(error)) throw error;
      writeResults.push({});
      status.push({ code: STATUS_NUMBER[error.code], message: error.message });
    }
  }
  return { writeResults, status };
}

export function beginTransaction(ctx: CallContext, req: Raw): Raw {
  const id = parseDatabaseName(String(req.database ?? ""));
  const db = ctx.databases.get(id);
  const readOnly = Boolean((req.options as Raw | undefined)?.readOnly);
  return { transaction: db.transactions.begin(readOnly, randomToken(), Math.floor(ctx.clock.now() / 1000)) };
}

export function rollback(ctx: CallContext, req: Raw): Raw {
  const id = parseDatabaseName(String(req.database ?? ""));
  if (req.transaction) ctx.databases.get(id).transactions.rollback(req.transaction as Uint8Array);
  return {};
}
