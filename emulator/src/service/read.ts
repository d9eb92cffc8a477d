/** Single-document reads: BatchGetDocuments and GetDocument. */
import { EmulatorError } from "../shared/errors.js";
import type { DatabaseId } from "../shared/resource-path.js";
import { toWireDocument, type WireDocument } from "../store/document.js";
import type { FieldPath } from "../store/field-path.js";
import { microsToTimestamp, type Timestamp } from "../store/timestamp.js";
import type { CallContext } from "./context.js";
import { checkGet } from "./security.js";
import { type ReadConsistency, readTransaction } from "./transaction-options.js";

/** A document as a request names it: the full name, and its database and relative path. */
export interface DocumentRef {
  name: string;
  database: DatabaseId;
  path: string;
}

export interface BatchGetRequest {
  database: DatabaseId;
  documents: DocumentRef[];
  mask: FieldPath[] | undefined;
  consistency: ReadConsistency;
}

export type BatchGetResponse = ({ found: WireDocument } | { missing: string }) & {
  readTime: Timestamp;
  transaction?: Buffer;
};

export interface GetDocumentRequest {
  document: DocumentRef;
  mask: FieldPath[] | undefined;
  consistency: ReadConsistency;
}

export function batchGetDocuments(ctx: CallContext, req: BatchGetRequest): BatchGetResponse[] {
  const id = req.database;
  const db = ctx.databases.get(id);
  const paths = req.documents.map((d) => d.path);
  const now = ctx.clock.now();
  const tx = readTransaction(db, req.consistency, Math.floor(now / 1000));
  checkGet(ctx, id, db.store, paths, now);
  const readTime = microsToTimestamp(now);
  return req.documents.map(({ name, path }, i) => {
    const doc = db.store.get(path);
    if (tx.id) db.transactions.recordRead(tx.id, path, doc);
    const response: BatchGetResponse = doc
      ? { found: toWireDocument(id, doc, req.mask), readTime }
      : { missing: name, readTime };
    if (i === 0 && tx.started) response.transaction = tx.started;
    return response;
  });
}

export function getDocument(ctx: CallContext, req: GetDocumentRequest): WireDocument {
  const { name, database: id, path } = req.document;
  const db = ctx.databases.get(id);
  const now = ctx.clock.now();
  const tx = readTransaction(db, req.consistency, Math.floor(now / 1000));
  checkGet(ctx, id, db.store, [path], now);
  const doc = db.store.get(path);
  if (tx.id) db.transactions.recordRead(tx.id, path, doc);
  if (!doc) throw new EmulatorError("NOT_FOUND", `Document (${name}) not found.`);
  return toWireDocument(id, doc, req.mask);
}
