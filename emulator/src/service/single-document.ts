/**
 * The single-document RPCs (CreateDocument, UpdateDocument, DeleteDocument) that REST clients and other
 * SDKs use; each is a one-write commit followed by a read of the result.
 */
import { EmulatorError } from "../shared/errors.js";
import { autoId } from "../shared/ids.js";
import { documentName, parseDocumentName } from "../shared/resource-path.js";
import { toWireDocument, type WireDocument } from "../store/document.js";
import type { FieldPath } from "../store/field-path.js";
import type { Fields } from "../store/value.js";
import type { WriteOp } from "../store/write-op.js";
import { commitWrites } from "./commit.js";
import type { CallContext } from "./context.js";
import type { ParentRef } from "./query.js";

export interface CreateDocumentRequest {
  parent: ParentRef;
  /** Never empty. */
  collectionId: string;
  /** "" asks for an automatic id. */
  documentId: string;
  fields: Fields;
  mask: FieldPath[] | undefined;
}

/** UpdateDocument and DeleteDocument carry their one write, decoded like a Commit's. */
export interface SingleWriteRequest {
  write: WriteOp;
  mask: FieldPath[] | undefined;
}

function readBack(ctx: CallContext, op: WriteOp, mask: FieldPath[] | undefined): WireDocument {
  const doc = ctx.databases.get(op.database).store.get(op.path);
  if (!doc) throw new EmulatorError("NOT_FOUND", `Document (${op.name}) not found.`);
  return toWireDocument(op.database, doc, mask);
}

export async function createDocument(ctx: CallContext, req: CreateDocumentRequest): Promise<WireDocument> {
  const { database, path: parent } = req.parent;
  const relative = `${req.collectionId}/${req.documentId || autoId()}`;
  const name = documentName(database, parent ? `${parent}/${relative}` : relative);
  const op: WriteOp = {
    kind: "set",
    name,
    database,
    path: parseDocumentName(name, database).path,
    fields: req.fields,
    mask: null,
    transforms: [],
    precondition: { exists: false },
  };
  await commitWrites(ctx, ctx.databases.get(database), [op]);
  return readBack(ctx, op, req.mask);
}

export async function updateDocument(ctx: CallContext, req: SingleWriteRequest): Promise<WireDocument> {
  await commitWrites(ctx, ctx.databases.get(req.write.database), [req.write]);
  return readBack(ctx, req.write, req.mask);
}

export async function deleteDocument(
  ctx: CallContext,
  req: SingleWriteRequest,
): Promise<Record<string, never>> {
  await commitWrites(ctx, ctx.databases.get(req.write.database), [req.write]);
  return {};
}
