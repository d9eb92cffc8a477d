/** Single-document reads: BatchGetDocuments and GetDocument. */
import { EmulatorError } from "../shared/errors.js";
import { parseDatabaseName, parseDocumentName } from "../shared/resource-path.js";
import { toWireDocument } from "../store/document.js";
import { parseMask } from "../store/field-path.js";
import { microsToTimestamp } from "../store/timestamp.js";
import type { CallContext } from "./context.js";
import { checkGet } from "./security.js";
import { readTransaction } from "./transaction-options.js";

type Raw = Record<string, unknown>;

export function batchGetDocuments(ctx: CallContext, req: Raw): Raw[] {
  const id = parseDatabaseName(String(req.database ?? ""));
  const db = ctx.databases.get(id);
  const names = (req.documents as string[] | undefined) ?? [];
  const paths = names.map((name) => parseDocumentName(name, id).path);
  const mask = parseMask(req.mask);
  const now = ctx.clock.now();
  const tx = readTransaction(db, req, Math.floor(now / 1000));
  checkGet(ctx, id, db.store, paths, now);
  const readTime = microsToTimestamp(now);
  return paths.map((path, i) => {
    const doc = db.store.get(path);
    if (tx.id) db.transactions.recordRead(tx.id, path, doc);
    const response: Raw = doc
      ? { found: toWireDocument(id, doc, mask), readTime }
      : { missing: names[i], readTime };
    if (i === 0 && tx.started) response.transaction = tx.started;
    return response;
  });
}

export function getDocument(ctx: CallContext, req: Raw): Raw {
  const name = String(req.name ?? "");
  const { db: id, path } = parseDocumentName(name);
  const db = ctx.databases.get(id);
  const now = ctx.clock.now();
  const tx = readTransaction(db, req, Math.floor(now / 1000));
  checkGet(ctx, id, db.store, [path], now);
  const doc = db.store.get(path);
  if (tx.id) db.transactions.recordRead(tx.id, path, doc);
  if (!doc) throw new EmulatorError("NOT_FOUND", `Document (${name}) not found.`);
  return { ...toWireDocument(id, doc, parseMask(req.mask)) };
}
