/** Single-document reads: BatchGetDocuments and GetDocument. */
import { EmulatorError } from "../shared/errors.js";
import type { DatabaseId } from "../shared/resource-path.js";
import type { Database } from "../store/databases.js";
import { toWireDocument, type WireDocument } from "../store/document.js";
import type { FieldPath } from "../store/field-path.js";
import { microsToTimestamp, type Timestamp } from "../store/timestamp.js";
import type { CallContext } from "./context.js";
import { checkGet } from "./security.js";
import { type ReadConsistency, readTransaction, sourceAt } from "./transaction-options.js";

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

/**
 * Starts or joins the read's transaction, checks rules, and waits for the documents' locks; returns
 * the documents as the read sees them and its read time.
 */
async function prepareRead(ctx: CallContext, db: Database, paths: string[], consistency: ReadConsistency) {
  const tx = readTransaction(db, consistency, ctx.clock.now());
  checkGet(ctx, db.id, db.store, paths, ctx.clock.now());
  if (tx.id) await db.transactions.lock(tx.id, paths, ctx.signal);
  const now = ctx.clock.now();
  return { tx, source: sourceAt(db, tx.readTime, now), readTime: Math.min(tx.readTime ?? now, now) };
}

export async function batchGetDocuments(ctx: CallContext, req: BatchGetRequest): Promise<BatchGetResponse[]> {
  const id = req.database;
  const db = ctx.databases.get(id);
  const paths = req.documents.map((d) => d.path);
  const prepared = await prepareRead(ctx, db, paths, req.consistency);
  const { tx, source } = prepared;
  const readTime = microsToTimestamp(prepared.readTime);
  return req.documents.map(({ name, path }, i) => {
    const doc = source.get(path);
    if (tx.id) db.transactions.recordRead(tx.id, path, doc);
    const response: BatchGetResponse = doc
      ? { found: toWireDocument(id, doc, req.mask), readTime }
      : { missing: name, readTime };
    if (i === 0 && tx.started) response.transaction = tx.started;
    return response;
  });
}

export async function getDocument(ctx: CallContext, req: GetDocumentRequest): Promise<WireDocument> {
  const { name, database: id, path } = req.document;
  const db = ctx.databases.get(id);
  const { tx, source } = await prepareRead(ctx, db, [path], req.consistency);
  const doc = source.get(path);
  if (tx.id) db.transactions.recordRead(tx.id, path, doc);
  if (!doc) throw new EmulatorError("NOT_FOUND", `Document (${name}) not found.`);
  return toWireDocument(id, doc, req.mask);
}
