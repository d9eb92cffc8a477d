/** The transaction selector shared by BatchGet, RunQuery and RunAggregationQuery. */
import { randomToken } from "../shared/ids.js";
import type { Database } from "../store/databases.js";

/** Read in an open transaction, start one with this read, or read outside any (read times read now). */
export type ReadConsistency =
  | { kind: "transaction"; id: Buffer }
  | { kind: "newTransaction"; readOnly: boolean }
  | { kind: "none" };

export interface ReadTransaction {
  /** The transaction to record reads in, if any. */
  id: Buffer | null;
  /** Set when this read started the transaction; returned to the client. */
  started: Buffer | null;
}

export function readTransaction(db: Database, consistency: ReadConsistency, nowMs: number): ReadTransaction {
  switch (consistency.kind) {
    case "transaction":
      db.transactions.touch(consistency.id, nowMs);
      return { id: consistency.id, started: null };
    case "newTransaction": {
      const id = db.transactions.begin(consistency.readOnly, randomToken(), nowMs);
      return { id, started: id };
    }
    case "none":
      return { id: null, started: null };
  }
}
