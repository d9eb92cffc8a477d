/**
 * Decodes the unary and server-streaming Firestore requests into the service layer's typed requests.
 * gRPC hands over proto-loader objects, REST the Proto3 JSON body with the resource names from its URL
 * merged in; both arrive here.
 */
import type {
  BatchWriteRequest,
  BeginTransactionRequest,
  CommitRequest,
  RollbackRequest,
} from "../service/commit.js";
import type { ListCollectionIdsRequest, ListDocumentsRequest, PageRequest } from "../service/metadata.js";
import type { PartitionQueryRequest } from "../service/partition.js";
import type { ParentRef, RunAggregationQueryRequest, RunQueryRequest } from "../service/query.js";
import type { BatchGetRequest, DocumentRef, GetDocumentRequest } from "../service/read.js";
import type { CreateDocumentRequest, SingleWriteRequest } from "../service/single-document.js";
import type { ReadConsistency, TransactionOptions } from "../service/transaction-options.js";
import { invalidArgument } from "../shared/errors.js";
import {
  type DatabaseId,
  parseDatabaseName,
  parseDocumentName,
  parseParentName,
  parseResourceName,
} from "../shared/resource-path.js";
import { timestampToMicros } from "../store/timestamp.js";
import {
  optionalObject,
  readArray,
  readBytes,
  readInteger,
  readObject,
  readString,
  readStrings,
  readTimestamp,
  type WireObject,
} from "./object.js";
import { decodeAggregationQuery, decodeStructuredQuery } from "./query.js";
import { decodeFields } from "./value.js";
import { decodeMask, decodeWrite } from "./write.js";

function request(raw: unknown, name: string): WireObject {
  return readObject(raw, `A ${name}`);
}

function database(req: WireObject): DatabaseId {
  return parseDatabaseName(readString(req.database, "database"));
}

function parent(req: WireObject): ParentRef {
  const { db, path } = parseParentName(readString(req.parent, "parent"));
  return { database: db, path };
}

function documentRef(name: string, expected?: DatabaseId): DocumentRef {
  const { db, path } = parseDocumentName(name, expected);
  return { name, database: db, path };
}

/** `TransactionOptions`: read-only, or read-write and maybe retrying an earlier attempt. */
function transactionOptions(options: WireObject, what: string): TransactionOptions {
  if (options.readOnly) return { readOnly: true, retryOf: null };
  const readWrite = readObject(options.readWrite, `${what}.readWrite`);
  return {
    readOnly: false,
    retryOf: readBytes(readWrite.retryTransaction, `${what}.readWrite.retryTransaction`),
  };
}

function consistency(req: WireObject): ReadConsistency {
  const transaction = readBytes(req.transaction, "transaction");
  if (transaction) return { kind: "transaction", id: transaction };
  const options = optionalObject(req.newTransaction, "newTransaction");
  if (options) return { kind: "newTransaction", ...transactionOptions(options, "newTransaction") };
  if (req.readTime !== undefined && req.readTime !== null) {
    return { kind: "readTime", time: timestampToMicros(readTimestamp(req.readTime, "readTime")) };
  }
  return { kind: "none" };
}

function page(req: WireObject): PageRequest {
  return {
    pageSize: Math.max(0, readInteger(req.pageSize, "pageSize") ?? 0),
    pageToken: readString(req.pageToken, "pageToken"),
  };
}

export function decodeCommitRequest(raw: unknown): CommitRequest {
  const req = request(raw, "CommitRequest");
  const db = database(req);
  return {
    database: db,
    writes: readArray(req.writes, "writes").map((w) => decodeWrite(w, db)),
    transaction: readBytes(req.transaction, "transaction"),
  };
}

export function decodeBatchWriteRequest(raw: unknown): BatchWriteRequest {
  const req = request(raw, "BatchWriteRequest");
  const db = database(req);
  return { database: db, writes: readArray(req.writes, "writes").map((w) => decodeWrite(w, db)) };
}

export function decodeBeginTransactionRequest(raw: unknown): BeginTransactionRequest {
  const req = request(raw, "BeginTransactionRequest");
  return { database: database(req), ...transactionOptions(readObject(req.options, "options"), "options") };
}

export function decodeRollbackRequest(raw: unknown): RollbackRequest {
  const req = request(raw, "RollbackRequest");
  return { database: database(req), transaction: readBytes(req.transaction, "transaction") };
}

export function decodeBatchGetRequest(raw: unknown): BatchGetRequest {
  const req = request(raw, "BatchGetDocumentsRequest");
  const db = database(req);
  return {
    database: db,
    documents: readStrings(req.documents, "documents").map((name) => documentRef(name, db)),
    mask: decodeMask(req.mask, "mask"),
    consistency: consistency(req),
  };
}

export function decodeGetDocumentRequest(raw: unknown): GetDocumentRequest {
  const req = request(raw, "GetDocumentRequest");
  return {
    document: documentRef(readString(req.name, "name")),
    mask: decodeMask(req.mask, "mask"),
    consistency: consistency(req),
  };
}

export function decodePartitionQueryRequest(raw: unknown): PartitionQueryRequest {
  const req = request(raw, "PartitionQueryRequest");
  if (!req.structuredQuery) throw invalidArgument("PartitionQuery needs a structuredQuery.");
  return {
    parent: parent(req),
    query: decodeStructuredQuery(req.structuredQuery),
    partitionCount: readInteger(req.partitionCount, "partitionCount") ?? 0,
    ...page(req),
    consistency: consistency(req),
  };
}

export function decodeRunQueryRequest(raw: unknown): RunQueryRequest {
  const req = request(raw, "RunQueryRequest");
  if (!req.structuredQuery) throw invalidArgument("RunQuery needs a structuredQuery.");
  const query = decodeStructuredQuery(req.structuredQuery);
  return { parent: parent(req), query, consistency: consistency(req) };
}

export function decodeRunAggregationQueryRequest(raw: unknown): RunAggregationQueryRequest {
  const req = request(raw, "RunAggregationQueryRequest");
  const { query, aggregations } = decodeAggregationQuery(req.structuredAggregationQuery);
  return { parent: parent(req), query, aggregations, consistency: consistency(req) };
}

export function decodeListCollectionIdsRequest(raw: unknown): ListCollectionIdsRequest {
  const req = request(raw, "ListCollectionIdsRequest");
  return { parent: parent(req), ...page(req) };
}

export function decodeListDocumentsRequest(raw: unknown): ListDocumentsRequest {
  const req = request(raw, "ListDocumentsRequest");
  const listed = parent(req);
  const collectionId = readString(req.collectionId, "collectionId");
  if (!collectionId) throw invalidArgument("ListDocuments needs a collectionId.");
  return {
    parent: listed,
    collectionId,
    showMissing: Boolean(req.showMissing),
    mask: decodeMask(req.mask, "mask"),
    ...page(req),
  };
}

export function decodeCreateDocumentRequest(raw: unknown): CreateDocumentRequest {
  const req = request(raw, "CreateDocumentRequest");
  // Any resource may be named here; a parent that is not a document fails as the new document's name.
  const { db, path } = parseResourceName(readString(req.parent, "parent"));
  const collectionId = readString(req.collectionId, "collectionId");
  if (!collectionId) throw invalidArgument("CreateDocument needs a collectionId.");
  return {
    parent: { database: db, path },
    collectionId,
    documentId: readString(req.documentId, "documentId"),
    fields: decodeFields(readObject(req.document, "document").fields),
    mask: decodeMask(req.mask, "mask"),
  };
}

export function decodeUpdateDocumentRequest(raw: unknown): SingleWriteRequest {
  const req = request(raw, "UpdateDocumentRequest");
  const document = readObject(req.document, "document");
  const { db } = parseDocumentName(readString(document.name, "document.name"));
  const write = { update: document, updateMask: req.updateMask, currentDocument: req.currentDocument };
  return { write: decodeWrite(write, db), mask: decodeMask(req.mask, "mask") };
}

export function decodeDeleteDocumentRequest(raw: unknown): SingleWriteRequest {
  const req = request(raw, "DeleteDocumentRequest");
  const name = readString(req.name, "name");
  const { db } = parseDocumentName(name);
  return { write: decodeWrite({ delete: name, currentDocument: req.currentDocument }, db), mask: undefined };
}
