/**
 * Document locks, as production takes them for server-SDK (read-write) transactions: a transaction's
 * reads lock the documents until it ends, and every write to a locked document waits for the lock.
 *
 * - Between transactions, conflicts resolve by wound-wait on age: an older transaction takes the lock
 *   from a younger holder, which is aborted; a younger one waits. Waits therefore never form a cycle.
 * - An aborted transaction learns it at commit (ABORTED, which the SDKs retry); until then its reads go
 *   on without locks. An error on the read itself would cost more: firebase-admin re-sends a streamed
 *   read that fails before its first message, with seconds of backoff, before the runner sees it.
 * - Writes outside transactions lock like a transaction that starts as they arrive, for the moment they
 *   apply. One that loses a lock to an older transaction starts over rather than fail: production
 *   makes such writes wait, and firebase-admin does not retry ABORTED on a plain commit.
 * - A wait that outlasts the limit (a client waiting on itself) aborts the transaction, or fails the
 *   write with ABORTED.
 *
 * A read locks its document exclusively rather than shared: with shared read locks, two transactions
 * that read and then write the same document always end with one aborted (neither upgrade can wait for
 * the other), where production's server-SDK transactions on a hot document queue.
 */
import { EmulatorError } from "../shared/errors.js";

export interface LockOwner {
  /** Smaller is older. */
  readonly priority: number;
  /** Why the owner lost its locks, once it has; it can then no longer commit. */
  aborted: EmulatorError | null;
}

interface Waiter {
  owner: LockOwner;
  path: string;
  resolve(): void;
  reject(error: EmulatorError): void;
}

export class LockTable {
  private readonly holders = new Map<string, LockOwner>();
  private readonly held = new Map<LockOwner, Set<string>>();
  private readonly queues = new Map<string, Waiter[]>();
  private readonly waits = new Map<LockOwner, Waiter>();

  constructor(private readonly waitLimitMs: number) {}

  /** A transaction locks `paths`, one after another, waiting for older holders and wounding younger ones. */
  async lockForTransaction(owner: LockOwner, paths: Iterable<string>, signal?: AbortSignal): Promise<void> {
    for (const path of new Set(paths)) {
      for (;;) {
        if (owner.aborted) return;
        const holder = this.holders.get(path);
        if (holder === undefined || holder === owner) {
          this.take(owner, path);
          break;
        }
        if (owner.priority < holder.priority) this.abort(holder, woundedError());
        else await this.wait(owner, path, signal);
      }
    }
  }

  /** A write outside any transaction locks `paths`; it fails only when a wait outlasts the limit. */
  async lockForWrite(owner: LockOwner, paths: string[], signal?: AbortSignal): Promise<void> {
    for (;;) {
      await this.lockForTransaction(owner, paths, signal);
      if (!owner.aborted) return;
      if (owner.aborted instanceof LockWaitTimeout) throw owner.aborted;
      owner.aborted = null;
    }
  }

  /** Drops every lock `owner` holds; a wait of its fails with `reason`. */
  releaseAll(owner: LockOwner, reason: EmulatorError = ended()): void {
    const wait = this.waits.get(owner);
    if (wait) {
      this.dequeue(wait);
      wait.reject(reason);
    }
    const paths = this.held.get(owner);
    if (!paths) return;
    this.held.delete(owner);
    for (const path of paths) this.handOver(path);
  }

  /** How many documents are locked. */
  get size(): number {
    return this.holders.size;
  }

  private take(owner: LockOwner, path: string): void {
    this.holders.set(path, owner);
    const paths = this.held.get(owner) ?? new Set<string>();
    this.held.set(owner, paths);
    paths.add(path);
  }

  /** Takes an owner's locks away; a read it is waiting on goes ahead unlocked. */
  private abort(owner: LockOwner, reason: EmulatorError): void {
    owner.aborted = reason;
    const wait = this.waits.get(owner);
    if (wait) {
      this.dequeue(wait);
      wait.resolve();
    }
    this.releaseAll(owner);
  }

  /** Frees `path` and hands it to the oldest owner waiting for it. */
  private handOver(path: string): void {
    this.holders.delete(path);
    const queue = this.queues.get(path);
    if (!queue) return;
    let next = queue[0]!;
    for (const waiter of queue) if (waiter.owner.priority < next.owner.priority) next = waiter;
    this.dequeue(next);
    this.take(next.owner, path);
    next.resolve();
  }

  private dequeue(waiter: Waiter): void {
    this.waits.delete(waiter.owner);
    const queue = this.queues.get(waiter.path);
    if (!queue) return;
    const at = queue.indexOf(waiter);
    if (at >= 0) queue.splice(at, 1);
    if (queue.length === 0) this.queues.delete(waiter.path);
  }

  private wait(owner: LockOwner, path: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise<void>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter = {
        owner,
        path,
        resolve: () => {
          settle();
          resolve();
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      const timer = setTimeout(
        () => this.abort(owner, new LockWaitTimeout(path, this.waitLimitMs)),
        this.waitLimitMs,
      );
      const onAbort = () => {
        this.dequeue(waiter);
        waiter.reject(cancelled());
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const queue = this.queues.get(path) ?? [];
      this.queues.set(path, queue);
      queue.push(waiter);
      this.waits.set(owner, waiter);
    });
  }
}

function woundedError(): EmulatorError {
  return new EmulatorError(
    "ABORTED",
    "Aborted due to cross-transaction contention: an older transaction needed a document this one had locked.",
  );
}

class LockWaitTimeout extends EmulatorError {
  constructor(path: string, limitMs: number) {
    super(
      "ABORTED",
      `Too much contention on these documents: ${path} stayed locked by another transaction for ${limitMs / 1000} s.`,
    );
  }
}

function ended(): EmulatorError {
  return new EmulatorError("ABORTED", "The transaction ended while this request waited for a lock.");
}

/** The caller has gone; the code matters to nobody, so the retryable one. */
function cancelled(): EmulatorError {
  return new EmulatorError("ABORTED", "The request was cancelled while waiting for a document lock.");
}
