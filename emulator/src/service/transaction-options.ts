/** The transaction fields shared by BatchGet, RunQuery and RunAggregationQuery. */
import { randomToken } from "../shared/ids.js";
import type { Database } from "../store/databases.js";

type Raw = Record<string, unknown>;

export interface ReadTransaction {
  /** The transaction to record reads in, if any. */
  id: Buffer | null;
  /** Set when this read started the transaction; returned to the client. */
  started: Buffer | null;
}

export function readTransaction(db: Database, req: Raw, nowMs: number): ReadTransaction {
  if (req.transaction) {
    const id = Buffer.from(req.transaction as Uint8Array);
    db.transactions.touch(id, nowMs);
    return { id, started: null };
  }
  if (req.newTransaction) {
    const readOnly = Boolean((req.newTransaction as Raw).readOnly);
    const id = db.transactions.begin(readOnly, randomToken(), nowMs);
    return { id, started: id };
  }
  return { id: null, started: null };
}
