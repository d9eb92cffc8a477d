/** The consistency selector shared by BatchGet, RunQuery, RunAggregationQuery and the listings. */
import { EmulatorError } from "../shared/errors.js";
import { randomToken } from "../shared/ids.js";
import type { Database } from "../store/databases.js";
import type { DocumentSource } from "../store/memory-store.js";

/** `TransactionOptions` as decoded: a read-write retry names the attempt it repeats. */
export interface TransactionOptions {
  readOnly: boolean;
  retryOf: Buffer | null;
}

/**
 * Read in an open transaction, start one with this read, read at a past time (microseconds), or read
 * the latest data.
 */
export type ReadConsistency =
  | { kind: "transaction"; id: Buffer }
  | ({ kind: "newTransaction" } & TransactionOptions)
  | { kind: "readTime"; time: number }
  | { kind: "none" };

export interface ReadTransaction {
  /** The transaction to record reads in, if any. */
  id: Buffer | null;
  /** Set when this read started the transaction; returned to the client. */
  started: Buffer | null;
  /** The time the read sees (microseconds), or null for the latest data. */
  readTime: number | null;
}

export function readTransaction(db: Database, consistency: ReadConsistency, now: number): ReadTransaction {
  const nowMs = Math.floor(now / 1000);
  switch (consistency.kind) {
    case "transaction":
      db.transactions.touch(consistency.id, nowMs);
      return { id: consistency.id, started: null, readTime: db.transactions.snapshotTime(consistency.id) };
    case "newTransaction": {
      const id = db.transactions.begin(consistency.readOnly, randomToken(), nowMs, consistency.retryOf, now);
      return { id, started: id, readTime: db.transactions.snapshotTime(id) };
    }
    case "readTime":
      return { id: null, started: null, readTime: consistency.time };
    case "none":
      return { id: null, started: null, readTime: null };
  }
}

/** The documents as a read at `readTime` sees them; a time older than the history kept is refused. */
export function sourceAt(db: Database, readTime: number | null, now: number): DocumentSource {
  if (readTime === null || readTime >= now) return db.store;
  const past = readTime >= db.store.history.earliest(now) ? db.store.at(readTime) : null;
  if (!past) {
    throw new EmulatorError(
      "FAILED_PRECONDITION",
      "The requested read time is too old: reads are served up to one hour in the past.",
    );
  }
  return past;
}
