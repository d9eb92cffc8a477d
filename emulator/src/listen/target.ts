/**
 * One Listen target and what the client has been told about it. After a commit, a target works out its
 * changes from the changed documents only; targets with a limit or offset re-run their query, but only
 * when a changed document is in the query's scope.
 */
import { inScope, runQuery } from "../query/execute.js";
import { matchesPlan } from "../query/order.js";
import type { QueryPlan } from "../query/plan.js";
import type { DatabaseId } from "../shared/resource-path.js";
import type { StoredDoc } from "../store/document.js";
import type { DocChange, DocumentSource, MemoryStore } from "../store/memory-store.js";

export type TargetSpec = { kind: "documents"; paths: Set<string> } | { kind: "query"; plan: QueryPlan };

export type TargetEvent =
  | { type: "change"; doc: StoredDoc }
  | { type: "delete"; path: string }
  | { type: "remove"; path: string };

export class ListenTarget {
  /** Path → update time of every document the client currently has in this target. */
  private readonly sent = new Map<string, number>();

  constructor(
    readonly id: number,
    readonly spec: TargetSpec,
    private readonly db: DatabaseId,
  ) {}

  private docsIn(source: DocumentSource): StoredDoc[] {
    return this.spec.kind === "documents"
      ? [...this.spec.paths].map((p) => source.get(p)).filter((d): d is StoredDoc => d !== null)
      : runQuery(source, this.db, this.spec.plan);
  }

  /** The documents that make up the target now; remembers them as sent. */
  initial(store: MemoryStore): StoredDoc[] {
    const docs = this.docsIn(store);
    this.sent.clear();
    for (const doc of docs) this.sent.set(doc.path, doc.updateTime);
    return docs;
  }

  /**
   * For a client resuming with its view of the target from `past`: what changed since, as events (the
   * target then against now); remembers the target as it is now.
   */
  resume(past: DocumentSource, store: MemoryStore): TargetEvent[] {
    const before = new Map(this.docsIn(past).map((d) => [d.path, d.updateTime]));
    const events: TargetEvent[] = [];
    for (const doc of this.initial(store)) {
      if (before.get(doc.path) !== doc.updateTime) events.push({ type: "change", doc });
    }
    for (const path of before.keys()) {
      if (!this.sent.has(path))
        events.push(store.get(path) ? { type: "remove", path } : { type: "delete", path });
    }
    return events;
  }

  private windowed(): boolean {
    return this.spec.kind === "query" && (this.spec.plan.limit !== null || this.spec.plan.offset > 0);
  }

  private relevant(change: DocChange): boolean {
    if (this.spec.kind === "documents") return this.spec.paths.has(change.path);
    return this.sent.has(change.path) || inScope(this.spec.plan, change.path);
  }

  private matches(doc: StoredDoc | null): doc is StoredDoc {
    if (!doc) return false;
    return this.spec.kind === "documents" || matchesPlan(this.db, this.spec.plan, doc);
  }

  changesFor(changes: readonly DocChange[], store: MemoryStore): TargetEvent[] {
    const relevant = changes.filter((c) => this.relevant(c));
    if (relevant.length === 0) return [];
    return this.windowed() ? this.rerun(relevant, store) : this.incremental(relevant);
  }

  private incremental(changes: readonly DocChange[]): TargetEvent[] {
    const events: TargetEvent[] = [];
    for (const { path, after } of changes) {
      if (this.matches(after)) {
        this.sent.set(path, after.updateTime);
        events.push({ type: "change", doc: after });
      } else if (this.sent.delete(path)) {
        events.push(after ? { type: "remove", path } : { type: "delete", path });
      }
    }
    return events;
  }

  private rerun(changes: readonly DocChange[], store: MemoryStore): TargetEvent[] {
    const previous = new Map(this.sent);
    const docs = this.initial(store);
    const events: TargetEvent[] = [];
    for (const doc of docs) {
      if (previous.get(doc.path) !== doc.updateTime) events.push({ type: "change", doc });
    }
    const deleted = new Set(changes.filter((c) => c.after === null).map((c) => c.path));
    for (const path of previous.keys()) {
      if (!this.sent.has(path))
        events.push(deleted.has(path) ? { type: "delete", path } : { type: "remove", path });
    }
    return events;
  }
}
