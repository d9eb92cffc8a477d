/** Metadata reads for admins: ListDocuments and ListCollectionIds, paged by an opaque token. */
import { EmulatorError, invalidArgument } from "../shared/errors.js";
import { compareSegments, parseParentName } from "../shared/resource-path.js";
import { makeDoc, type StoredDoc, toWireDocument } from "../store/document.js";
import { parseMask } from "../store/field-path.js";
import type { CallContext } from "./context.js";
import { checkQuery } from "./security.js";

type Raw = Record<string, unknown>;

function requireOwner(ctx: CallContext): void {
  if (!ctx.principal.owner)
    throw new EmulatorError("PERMISSION_DENIED", "Metadata operations require admin authentication.");
}

function page<T>(items: T[], key: (item: T) => string, req: Raw): { items: T[]; nextPageToken: string } {
  const token = req.pageToken ? Buffer.from(String(req.pageToken), "base64url").toString("utf8") : "";
  const start = token ? items.findIndex((item) => key(item) === token) + 1 : 0;
  const size = Number(req.pageSize ?? 0) > 0 ? Number(req.pageSize) : items.length;
  const slice = items.slice(start, start + size);
  const more = start + size < items.length && slice.length > 0;
  return {
    items: slice,
    nextPageToken: more ? Buffer.from(key(slice[slice.length - 1]!)).toString("base64url") : "",
  };
}

export function listCollectionIds(ctx: CallContext, req: Raw): Raw {
  requireOwner(ctx);
  const { db, path } = parseParentName(String(req.parent ?? ""));
  const ids = ctx.databases.get(db).store.collectionIds(path);
  const { items, nextPageToken } = page(ids, (id) => id, req);
  return { collectionIds: items, nextPageToken };
}

export function listDocuments(ctx: CallContext, req: Raw): Raw {
  const { db: id, path } = parseParentName(String(req.parent ?? ""));
  const collectionId = String(req.collectionId ?? "");
  if (!collectionId) throw invalidArgument("ListDocuments needs a collectionId.");
  const showMissing = Boolean(req.showMissing);
  if (showMissing) requireOwner(ctx);
  const db = ctx.databases.get(id);
  const collection = path ? `${path}/${collectionId}` : collectionId;
  const now = ctx.clock.now();
  checkQuery(ctx, id, db.store, path, { from: [{ collectionId }] }, now);
  const docs: Array<{ doc: StoredDoc; missing: boolean }> = [...db.store.collection(collection)].map(
    (doc) => ({
      doc,
      missing: false,
    }),
  );
  if (showMissing) {
    for (const p of db.store.missingDocuments(collection))
      docs.push({ doc: makeDoc(p, {}, 0, 0), missing: true });
  }
  docs.sort((a, b) => compareSegments(a.doc.segments, b.doc.segments));
  const mask = parseMask(req.mask);
  const { items, nextPageToken } = page(docs, (d) => d.doc.path, req);
  return {
    documents: items.map(({ doc, missing }) => {
      const wire = toWireDocument(id, doc, mask);
      return missing ? { name: wire.name, fields: {} } : wire;
    }),
    nextPageToken,
  };
}
