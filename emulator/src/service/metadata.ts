/** Metadata reads for admins: ListDocuments and ListCollectionIds, paged by an opaque token. */
import { collectionQuery } from "../query/structured-query.js";
import { EmulatorError } from "../shared/errors.js";
import { compareSegments } from "../shared/resource-path.js";
import { makeDoc, type StoredDoc, toWireDocument, type WireDocument } from "../store/document.js";
import type { FieldPath } from "../store/field-path.js";
import type { CallContext } from "./context.js";
import type { ParentRef } from "./query.js";
import { checkQuery } from "./security.js";

/** `pageSize` 0 means everything; `pageToken` is one we handed out ("" for the first page). */
export interface PageRequest {
  pageSize: number;
  pageToken: string;
}

export interface ListCollectionIdsRequest extends PageRequest {
  parent: ParentRef;
}

export interface ListDocumentsRequest extends PageRequest {
  parent: ParentRef;
  /** Never empty. */
  collectionId: string;
  showMissing: boolean;
  mask: FieldPath[] | undefined;
}

export interface ListDocumentsResponse {
  /** Missing documents (with showMissing) carry only their name. */
  documents: Array<WireDocument | { name: string; fields: Record<string, never> }>;
  nextPageToken: string;
}

function requireOwner(ctx: CallContext): void {
  if (!ctx.principal.owner)
    throw new EmulatorError("PERMISSION_DENIED", "Metadata operations require admin authentication.");
}

function page<T>(
  items: T[],
  key: (item: T) => string,
  req: PageRequest,
): { items: T[]; nextPageToken: string } {
  const token = req.pageToken ? Buffer.from(req.pageToken, "base64url").toString("utf8") : "";
  const start = token ? items.findIndex((item) => key(item) === token) + 1 : 0;
  const size = req.pageSize > 0 ? req.pageSize : items.length;
  const slice = items.slice(start, start + size);
  const more = start + size < items.length && slice.length > 0;
  return {
    items: slice,
    nextPageToken: more ? Buffer.from(key(slice[slice.length - 1]!)).toString("base64url") : "",
  };
}

export function listCollectionIds(
  ctx: CallContext,
  req: ListCollectionIdsRequest,
): { collectionIds: string[]; nextPageToken: string } {
  requireOwner(ctx);
  const ids = ctx.databases.get(req.parent.database).store.collectionIds(req.parent.path);
  const { items, nextPageToken } = page(ids, (id) => id, req);
  return { collectionIds: items, nextPageToken };
}

export function listDocuments(ctx: CallContext, req: ListDocumentsRequest): ListDocumentsResponse {
  const { database: id, path } = req.parent;
  if (req.showMissing) requireOwner(ctx);
  const db = ctx.databases.get(id);
  const collection = path ? `${path}/${req.collectionId}` : req.collectionId;
  const now = ctx.clock.now();
  checkQuery(ctx, id, db.store, path, collectionQuery(req.collectionId), now);
  const docs: Array<{ doc: StoredDoc; missing: boolean }> = [...db.store.collection(collection)].map(
    (doc) => ({
      doc,
      missing: false,
    }),
  );
  if (req.showMissing) {
    for (const p of db.store.missingDocuments(collection))
      docs.push({ doc: makeDoc(p, {}, 0, 0), missing: true });
  }
  docs.sort((a, b) => compareSegments(a.doc.segments, b.doc.segments));
  const { items, nextPageToken } = page(docs, (d) => d.doc.path, req);
  return {
    documents: items.map(({ doc, missing }) => {
      const wire = toWireDocument(id, doc, req.mask);
      return missing ? { name: wire.name, fields: {} } : wire;
    }),
    nextPageToken,
  };
}
