/**
 * The single-document RPCs (CreateDocument, UpdateDocument, DeleteDocument) that REST clients and other
 * SDKs use; each is a one-write commit followed by a read of the result.
 */
import { EmulatorError, invalidArgument } from "../shared/errors.js";
import { autoId } from "../shared/ids.js";
import { documentName, parseDocumentName, parseResourceName } from "../shared/resource-path.js";
import { toWireDocument } from "../store/document.js";
import { parseMask } from "../store/field-path.js";
import { parseWrite } from "../store/write-op.js";
import { commitWrites } from "./commit.js";
import type { CallContext } from "./context.js";

type Raw = Record<string, unknown>;

function readBack(ctx: CallContext, name: string, mask: unknown): Raw {
  const { db: id, path } = parseDocumentName(name);
  const doc = ctx.databases.get(id).store.get(path);
  if (!doc) throw new EmulatorError("NOT_FOUND", `Document (${name}) not found.`);
  return { ...toWireDocument(id, doc, parseMask(mask)) };
}

export function createDocument(ctx: CallContext, req: Raw): Raw {
  const { db: id, path } = parseResourceName(String(req.parent ?? ""));
  const collectionId = String(req.collectionId ?? "");
  if (!collectionId) throw invalidArgument("CreateDocument needs a collectionId.");
  const documentId = req.documentId ? String(req.documentId) : autoId();
  const name = documentName(
    id,
    path ? `${path}/${collectionId}/${documentId}` : `${collectionId}/${documentId}`,
  );
  const fields = (req.document as Raw | undefined)?.fields ?? {};
  const op = parseWrite({ update: { name, fields }, currentDocument: { exists: false } }, id);
  commitWrites(ctx, ctx.databases.get(id), [op]);
  return readBack(ctx, name, req.mask);
}

export function updateDocument(ctx: CallContext, req: Raw): Raw {
  const document = (req.document as Raw | undefined) ?? {};
  const name = String(document.name ?? "");
  const { db: id } = parseDocumentName(name);
  const write: Raw = { update: document };
  if (req.updateMask) write.updateMask = req.updateMask;
  if (req.currentDocument) write.currentDocument = req.currentDocument;
  commitWrites(ctx, ctx.databases.get(id), [parseWrite(write, id)]);
  return readBack(ctx, name, req.mask);
}

export function deleteDocument(ctx: CallContext, req: Raw): Raw {
  const name = String(req.name ?? "");
  const { db: id } = parseDocumentName(name);
  const write: Raw = { delete: name };
  if (req.currentDocument) write.currentDocument = req.currentDocument;
  commitWrites(ctx, ctx.databases.get(id), [parseWrite(write, id)]);
  return {};
}
