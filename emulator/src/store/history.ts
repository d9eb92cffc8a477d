/**
 * Recent commits of one database, so reads at a past read time (and resumed listeners) see the data as
 * it was. Production serves any read time within the past hour (seven days at minute granularity with
 * point-in-time recovery, which the emulator does not keep). Kept: an hour of commit time and at most
 * MAX_CHANGES document changes; a read time before what is kept cannot be answered.
 */
import type { StoredDoc } from "./document.js";
import type { CommitEvent } from "./memory-store.js";

export const RETENTION_MICROS = 60 * 60 * 1_000_000;
const MAX_CHANGES = 200_000;

interface Entry {
  commitTime: number;
  path: string;
  /** The document before this commit changed it (null: it did not exist). */
  before: StoredDoc | null;
}

export class History {
  private entries: Entry[] = [];
  private head = 0;
  /** The earliest read time still answered: every commit after it is kept. */
  private horizon = 0;
  private latest = 0;

  record(event: CommitEvent): void {
    for (const change of event.changes) {
      this.entries.push({ commitTime: event.commitTime, path: change.path, before: change.before });
    }
    this.latest = Math.max(this.latest, event.commitTime);
    this.prune();
  }

  private prune(): void {
    const oldest = this.latest - RETENTION_MICROS;
    while (
      this.head < this.entries.length &&
      (this.entries[this.head]!.commitTime < oldest || this.entries.length - this.head > MAX_CHANGES)
    ) {
      this.horizon = Math.max(this.horizon, this.entries[this.head]!.commitTime);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** The oldest read time answered at `now` (both in microseconds). */
  earliest(now: number): number {
    return Math.max(this.horizon, now - RETENTION_MICROS);
  }

  /**
   * Path → the document at `readTime` for every path a later commit changed (null: it did not exist
   * then); null when `readTime` is before what is kept.
   */
  before(readTime: number): Map<string, StoredDoc | null> | null {
    if (readTime < this.horizon) return null;
    const past = new Map<string, StoredDoc | null>();
    // Walking back, the last entry seen for a path is its earliest change after readTime.
    for (let i = this.entries.length - 1; i >= this.head; i--) {
      const entry = this.entries[i]!;
      if (entry.commitTime <= readTime) break;
      past.set(entry.path, entry.before);
    }
    return past;
  }

  /** Drops everything before `now` (data cleared: its past is gone too). */
  forget(now: number): void {
    this.entries = [];
    this.head = 0;
    this.horizon = now;
    this.latest = Math.max(this.latest, now);
  }
}
