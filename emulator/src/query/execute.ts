/** Runs a query plan against one database's documents. */
import type { DatabaseId } from "../shared/resource-path.js";
import type { StoredDoc } from "../store/document.js";
import type { DocumentSource } from "../store/memory-store.js";
import { compareDocs, matchesPlan } from "./order.js";
import type { QueryPlan } from "./plan.js";

function candidates(store: DocumentSource, plan: QueryPlan): Iterable<StoredDoc> {
  if (!plan.allDescendants) {
    return store.collection(plan.parent ? `${plan.parent}/${plan.collectionId}` : plan.collectionId!);
  }
  return plan.collectionId
    ? store.collectionGroup(plan.parent, plan.collectionId)
    : store.descendants(plan.parent);
}

/** Whether the document's location is inside the query's scope. */
export function inScope(plan: QueryPlan, path: string): boolean {
  const collection = path.slice(0, path.lastIndexOf("/"));
  if (!plan.allDescendants) {
    return collection === (plan.parent ? `${plan.parent}/${plan.collectionId}` : plan.collectionId);
  }
  if (plan.parent !== "" && !path.startsWith(`${plan.parent}/`)) return false;
  return (
    plan.collectionId === null || collection.slice(collection.lastIndexOf("/") + 1) === plan.collectionId
  );
}

/** Matching documents in query order, before offset and limit. */
export function matchingDocs(store: DocumentSource, db: DatabaseId, plan: QueryPlan): StoredDoc[] {
  const out: StoredDoc[] = [];
  for (const doc of candidates(store, plan)) if (matchesPlan(db, plan, doc)) out.push(doc);
  return out.sort(compareDocs(plan.orderBy));
}

export function runQuery(store: DocumentSource, db: DatabaseId, plan: QueryPlan): StoredDoc[] {
  const docs = matchingDocs(store, db, plan);
  const end = plan.limit === null ? undefined : plan.offset + plan.limit;
  return plan.offset === 0 && end === undefined ? docs : docs.slice(plan.offset, end);
}
