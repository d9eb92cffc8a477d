/**
 * One database's documents in memory, indexed by path and by parent collection so collection scans,
 * collection-group scans and collection listings never walk the whole database. Recent commits are kept
 * (store/history.ts) so reads at a past read time and resumed listeners see the data as it was.
 */
import { compareUtf8 } from "../shared/utf8.js";
import type { StoredDoc } from "./document.js";
import { History } from "./history.js";

export interface DocChange {
  path: string;
  before: StoredDoc | null;
  after: StoredDoc | null;
}

/** Who made a commit, as Firestore reports it in `withAuthContext` trigger events. */
export interface CommitOrigin {
  authType: "system" | "unauthenticated" | "app_user";
  authId?: string;
}

export interface CommitEvent {
  commitTime: number;
  changes: DocChange[];
  origin?: CommitOrigin;
}

export type ChangeListener = (event: CommitEvent) => void;

function collectionOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}

/** What a query reads documents from: the store now, or a view of it at a past time. */
export interface DocumentSource {
  get(path: string): StoredDoc | null;
  collection(collectionPath: string): Iterable<StoredDoc>;
  collectionGroup(parentPath: string, collectionId: string): Iterable<StoredDoc>;
  descendants(parentPath: string): Iterable<StoredDoc>;
}

export class MemoryStore implements DocumentSource {
  private readonly docs = new Map<string, StoredDoc>();
  private readonly collections = new Map<string, Map<string, StoredDoc>>();
  private readonly listeners = new Set<ChangeListener>();
  readonly history = new History();

  get(path: string): StoredDoc | null {
    return this.docs.get(path) ?? null;
  }

  all(): IterableIterator<StoredDoc> {
    return this.docs.values();
  }

  /** Documents directly in the collection at `collectionPath` (e.g. `orgs/a/members`). */
  collection(collectionPath: string): Iterable<StoredDoc> {
    return this.collections.get(collectionPath)?.values() ?? [];
  }

  /** Documents in every collection named `collectionId` at or below `parentPath` ("" = whole database). */
  *collectionGroup(parentPath: string, collectionId: string): Iterable<StoredDoc> {
    for (const [path, docs] of this.collections) {
      if (path !== collectionId && !path.endsWith(`/${collectionId}`)) continue;
      if (parentPath !== "" && !path.startsWith(`${parentPath}/`)) continue;
      yield* docs.values();
    }
  }

  /** Every document below `parentPath` ("" = whole database), in any collection. */
  *descendants(parentPath: string): Iterable<StoredDoc> {
    for (const [path, docs] of this.collections) {
      if (parentPath === "" || path.startsWith(`${parentPath}/`)) yield* docs.values();
    }
  }

  /** Ids of the collections directly under `parentPath` that hold a document at any depth. */
  collectionIds(parentPath: string): string[] {
    const ids = new Set<string>();
    const prefix = parentPath === "" ? "" : `${parentPath}/`;
    for (const path of this.collections.keys()) {
      if (!path.startsWith(prefix)) continue;
      ids.add(path.slice(prefix.length).split("/")[0]!);
    }
    return [...ids].sort(compareUtf8);
  }

  /**
   * Paths of documents in `collectionPath` that do not exist but have subcollections with documents
   * ("missing" documents in ListDocuments with showMissing).
   */
  missingDocuments(collectionPath: string): string[] {
    const paths = new Set<string>();
    const prefix = `${collectionPath}/`;
    for (const path of this.collections.keys()) {
      if (!path.startsWith(prefix)) continue;
      const id = path.slice(prefix.length).split("/")[0]!;
      const docPath = prefix + id;
      if (!this.docs.has(docPath)) paths.add(docPath);
    }
    return [...paths];
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stores the new versions of one commit and tells the listeners once. */
  apply(event: CommitEvent): void {
    this.history.record(event);
    for (const change of event.changes) {
      if (change.after) this.put(change.after);
      else this.remove(change.path);
    }
    if (event.changes.length === 0) return;
    for (const listener of this.listeners) listener(event);
  }

  /** Loads a document without notifying anyone (import). */
  put(doc: StoredDoc): void {
    this.docs.set(doc.path, doc);
    const coll = collectionOf(doc.path);
    let docs = this.collections.get(coll);
    if (!docs) {
      docs = new Map();
      this.collections.set(coll, docs);
    }
    docs.set(doc.path, doc);
  }

  private remove(path: string): void {
    if (!this.docs.delete(path)) return;
    const coll = collectionOf(path);
    const docs = this.collections.get(coll);
    docs?.delete(path);
    if (docs?.size === 0) this.collections.delete(coll);
  }

  /**
   * The documents as they were at `readTime` (microseconds), or null when that is older than the
   * history kept.
   */
  at(readTime: number): DocumentSource | null {
    const past = this.history.before(readTime);
    return past && (past.size === 0 ? this : new PastView(this, past));
  }

  /** Deletes everything, reporting each document as deleted so listeners can update. */
  clear(commitTime: number): void {
    const changes: DocChange[] = [...this.docs.values()].map((doc) => ({
      path: doc.path,
      before: doc,
      after: null,
    }));
    this.apply({ commitTime, changes });
    // Cleared data is gone for reads in the past too, as if it had never been written.
    this.history.forget(commitTime);
  }
}

/** The store with the documents changed since a read time put back as they were then. */
class PastView implements DocumentSource {
  constructor(
    private readonly now: MemoryStore,
    /** Path → the document at the read time (null: it did not exist), for every path changed since. */
    private readonly past: Map<string, StoredDoc | null>,
  ) {}

  get(path: string): StoredDoc | null {
    return this.past.has(path) ? this.past.get(path)! : this.now.get(path);
  }

  private *merged(current: Iterable<StoredDoc>, inScope: (path: string) => boolean): Iterable<StoredDoc> {
    for (const doc of current) if (!this.past.has(doc.path)) yield doc;
    for (const [path, doc] of this.past) if (doc && inScope(path)) yield doc;
  }

  collection(collectionPath: string): Iterable<StoredDoc> {
    return this.merged(this.now.collection(collectionPath), (path) => collectionOf(path) === collectionPath);
  }

  collectionGroup(parentPath: string, collectionId: string): Iterable<StoredDoc> {
    return this.merged(this.now.collectionGroup(parentPath, collectionId), (path) => {
      const collection = collectionOf(path);
      return (
        (collection === collectionId || collection.endsWith(`/${collectionId}`)) &&
        (parentPath === "" || path.startsWith(`${parentPath}/`))
      );
    });
  }

  descendants(parentPath: string): Iterable<StoredDoc> {
    return this.merged(
      this.now.descendants(parentPath),
      (path) => parentPath === "" || path.startsWith(`${parentPath}/`),
    );
  }
}
