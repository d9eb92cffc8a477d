/**
 * Server-side transactions for clients that use transaction ids (firebase-admin). Firestore locks
 * pessimistically; the emulator instead records what each transaction read and aborts its commit when
 * any of it changed, which clients handle the same way (they retry on ABORTED).
 */
import { EmulatorError, invalidArgument } from "../shared/errors.js";
import type { StoredDoc } from "./document.js";
import type { MemoryStore } from "./memory-store.js";

interface OpenTransaction {
  readOnly: boolean;
  /** Path → update time seen (0 when the document was missing). */
  reads: Map<string, number>;
  /** Re-run at commit; false when a query read would now return something else. */
  checks: Array<() => boolean>;
  lastUsed: number;
}

const IDLE_EXPIRY_MS = 270_000;

export class Transactions {
  private readonly open = new Map<string, OpenTransaction>();

  begin(readOnly: boolean, id: Buffer, nowMs: number): Buffer {
    this.expire(nowMs);
    this.open.set(id.toString("hex"), { readOnly, reads: new Map(), checks: [], lastUsed: nowMs });
    return id;
  }

  private expire(nowMs: number): void {
    for (const [key, tx] of this.open) if (nowMs - tx.lastUsed > IDLE_EXPIRY_MS) this.open.delete(key);
  }

  private lookup(id: Uint8Array): OpenTransaction {
    const tx = this.open.get(Buffer.from(id).toString("hex"));
    // firebase-admin retries INVALID_ARGUMENT only when the text says "transaction has expired".
    if (!tx) throw invalidArgument("The referenced transaction has expired or is no longer valid.");
    return tx;
  }

  /** Throws when the id is unknown; used before a transactional read. */
  touch(id: Uint8Array, nowMs: number): void {
    this.lookup(id).lastUsed = nowMs;
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

  /** Ends the transaction; throws ABORTED when something it read has changed since. */
  commit(id: Uint8Array, store: MemoryStore, hasWrites: boolean): void {
    const tx = this.lookup(id);
    this.open.delete(Buffer.from(id).toString("hex"));
    if (tx.readOnly && hasWrites) throw invalidArgument("Cannot write in a read-only transaction.");
    for (const [path, version] of tx.reads) {
      if ((store.get(path)?.updateTime ?? 0) !== version) throw contention();
    }
    if (!tx.checks.every((check) => check())) throw contention();
  }

  rollback(id: Uint8Array): void {
    this.open.delete(Buffer.from(id).toString("hex"));
  }

  clear(): void {
    this.open.clear();
  }
}

function contention(): EmulatorError {
  return new EmulatorError(
    "ABORTED",
    "Transaction aborted due to contention: a document it read was changed by another write.",
  );
}
