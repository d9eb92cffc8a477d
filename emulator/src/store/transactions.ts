/**
 * Server-side transactions: the ones clients name by id (firebase-admin and the other server SDKs; the
 * web and mobile SDKs never do, and keep their optimistic preconditions). As in production's default
 * pessimistic mode, a read-write transaction locks what it reads (store/locks.ts) and writes wait for
 * those locks, so contending transactions queue instead of aborting. Read-only transactions take no
 * locks. What a transaction read is also recorded and checked at commit, which catches what locks do
 * not cover: a query whose results another write changed, or data cleared or imported meanwhile.
 */
import { EmulatorError, invalidArgument } from "../shared/errors.js";
import type { StoredDoc } from "./document.js";
import { type LockOwner, LockTable } from "./locks.js";
import type { MemoryStore } from "./memory-store.js";

interface OpenTransaction extends LockOwner {
  key: string;
  readOnly: boolean;
  /** A read-only transaction reads everything at the time it began (microseconds). */
  snapshot: number | null;
  /** Path → update time seen (0 when the document was missing). */
  reads: Map<string, number>;
  /** Re-run at commit; false when a query read would now return something else. */
  checks: Array<() => boolean>;
  lastUsed: number;
}

/** Production aborts a transaction after 270 s. */
const IDLE_EXPIRY_MS = 270_000;
/** How long a request waits for a lock before giving up with ABORTED (the emulator's choice). */
export const LOCK_WAIT_MS = 10_000;
/** How many ended transactions keep their age for a retry that names them. */
const REMEMBERED_ENDED = 1024;

export class Transactions {
  private readonly open = new Map<string, OpenTransaction>();
  /** Ages of recently ended transactions: a retry (`retryTransaction`) keeps its place, as in production. */
  private readonly ended = new Map<string, number>();
  private readonly locks: LockTable;
  private nextPriority = 1;

  constructor(lockWaitMs = LOCK_WAIT_MS) {
    this.locks = new LockTable(lockWaitMs);
  }

  begin(
    readOnly: boolean,
    id: Buffer,
    nowMs: number,
    retryOf?: Uint8Array | null,
    nowMicros?: number,
  ): Buffer {
    this.expire(nowMs);
    const key = id.toString("hex");
    const inherited = retryOf ? this.ended.get(Buffer.from(retryOf).toString("hex")) : undefined;
    this.open.set(key, {
      key,
      priority: inherited ?? this.nextPriority++,
      aborted: null,
      readOnly,
      snapshot: readOnly ? (nowMicros ?? nowMs * 1000) : null,
      reads: new Map(),
      checks: [],
      lastUsed: nowMs,
    });
    return id;
  }

  private expire(nowMs: number): void {
    for (const tx of this.open.values()) if (nowMs - tx.lastUsed > IDLE_EXPIRY_MS) this.end(tx);
  }

  private lookup(id: Uint8Array): OpenTransaction {
    const tx = this.open.get(Buffer.from(id).toString("hex"));
    // firebase-admin retries INVALID_ARGUMENT only when the text says "transaction has expired".
    if (!tx) throw invalidArgument("The referenced transaction has expired or is no longer valid.");
    return tx;
  }

  private end(tx: OpenTransaction, reason?: EmulatorError): void {
    this.open.delete(tx.key);
    this.locks.releaseAll(tx, reason);
    this.ended.set(tx.key, tx.priority);
    if (this.ended.size > REMEMBERED_ENDED) this.ended.delete(this.ended.keys().next().value!);
  }

  /** Throws when the id is unknown; used before a transactional read. */
  touch(id: Uint8Array, nowMs: number): void {
    this.lookup(id).lastUsed = nowMs;
  }

  /** The time a read-only transaction's reads see; null for read-write ones (they read the latest). */
  snapshotTime(id: Uint8Array): number | null {
    return this.lookup(id).snapshot;
  }

  /**
   * Locks documents a read-write transaction is about to read, waiting for older holders. A request
   * cancelled while it waits ends the transaction (the client may never have learned its id).
   */
  async lock(id: Uint8Array, paths: Iterable<string>, signal?: AbortSignal): Promise<void> {
    const tx = this.lookup(id);
    if (tx.readOnly) return;
    try {
      await this.locks.lockForTransaction(tx, paths, signal);
    } catch (error) {
      this.end(tx);
      throw error;
    }
  }

  recordRead(id: Uint8Array, path: string, doc: StoredDoc | null): void {
    const tx = this.lookup(id);
    if (tx.readOnly || tx.reads.has(path)) return;
    tx.reads.set(path, doc?.updateTime ?? 0);
  }

  recordCheck(id: Uint8Array, check: () => boolean): void {
    const tx = this.lookup(id);
    if (!tx.readOnly) tx.checks.push(check);
  }

  /**
   * Starts the commit of a transaction: locks the documents it writes, then checks that nothing it read
   * has changed. The transaction is over either way; call the returned function once the writes are
   * applied (or refused) to release its locks.
   */
  async commit(
    id: Uint8Array,
    store: MemoryStore,
    writes: string[],
    signal?: AbortSignal,
  ): Promise<() => void> {
    const tx = this.lookup(id);
    const release = () => this.end(tx);
    try {
      if (tx.readOnly && writes.length > 0) throw invalidArgument("Cannot write in a read-only transaction.");
      await this.locks.lockForTransaction(tx, writes, signal);
      if (tx.aborted) throw tx.aborted;
      for (const [path, version] of tx.reads) {
        if ((store.get(path)?.updateTime ?? 0) !== version) throw contention();
      }
      if (!tx.checks.every((check) => check())) throw contention();
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  /**
   * Locks the documents a write outside any transaction changes, waiting for transactions that hold
   * them; call the returned function once the write is applied (or refused).
   */
  async lockWrite(paths: string[], signal?: AbortSignal): Promise<() => void> {
    const owner: LockOwner = { priority: this.nextPriority++, aborted: null };
    await this.locks.lockForWrite(owner, paths, signal);
    return () => this.locks.releaseAll(owner);
  }

  rollback(id: Uint8Array): void {
    const tx = this.open.get(Buffer.from(id).toString("hex"));
    if (tx) this.end(tx);
  }

  /** Ends every transaction (data cleared); waiting requests fail with ABORTED. */
  clear(): void {
    for (const tx of [...this.open.values()]) this.end(tx, contention());
  }

  /** How many documents are locked now. */
  get lockedDocuments(): number {
    return this.locks.size;
  }
}

function contention(): EmulatorError {
  return new EmulatorError(
    "ABORTED",
    "Transaction aborted due to contention: a document it read was changed by another write.",
  );
}
