/**
 * One database's documents in memory, indexed by path and by parent collection so collection scans,
 * collection-group scans and collection listings never walk the whole database.
 */
import { compareUtf8 } from "../shared/utf8.js";
import type { StoredDoc } from "./document.js";

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

export class MemoryStore {
  private readonly docs = new Map<string, StoredDoc>();
  private readonly collections = new Map<string, Map<string, StoredDoc>>();
  private readonly listeners = new Set<ChangeListener>();

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

  /** Deletes everything, reporting each document as deleted so listeners can update. */
  clear(commitTime: number): void {
    const changes: DocChange[] = [...this.docs.values()].map((doc) => ({
      path: doc.path,
      before: doc,
      after: null,
    }));
    this.apply({ commitTime, changes });
  }
}
