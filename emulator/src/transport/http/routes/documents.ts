/**
 * Firestore's REST surface (`/v1/…`) over the same data-plane services as gRPC, for
 * `firebase/firestore/lite` and other REST clients. Streaming RPCs answer with a JSON array.
 */
import { principalFromHeader } from "../../../auth/token.js";
import { batchWrite, beginTransaction, commit, rollback } from "../../../service/commit.js";
import type { CallContext, ServiceDeps } from "../../../service/context.js";
import { listCollectionIds, listDocuments } from "../../../service/metadata.js";
import { partitionQuery } from "../../../service/partition.js";
import { runAggregationQuery, runQuery } from "../../../service/query.js";
import { batchGetDocuments, getDocument } from "../../../service/read.js";
import { createDocument, deleteDocument, updateDocument } from "../../../service/single-document.js";
import { invalidArgument } from "../../../shared/errors.js";
import { isWireObject, type WireObject } from "../../../wire/object.js";
import {
  decodeBatchGetRequest,
  decodeBatchWriteRequest,
  decodeBeginTransactionRequest,
  decodeCommitRequest,
  decodeCreateDocumentRequest,
  decodeDeleteDocumentRequest,
  decodeGetDocumentRequest,
  decodeListCollectionIdsRequest,
  decodeListDocumentsRequest,
  decodePartitionQueryRequest,
  decodeRollbackRequest,
  decodeRunAggregationQueryRequest,
  decodeRunQueryRequest,
  decodeUpdateDocumentRequest,
} from "../../../wire/requests.js";
import { HttpError } from "../errors.js";
import { responseToJson } from "../rest-json.js";
import type { Route, RouteResponse } from "../router.js";

/** One RPC: the request (the JSON body with the URL's resource names merged in) decoded, then served. */
type Handler = (ctx: CallContext, req: WireObject) => unknown;

function rpc<Req>(decode: (raw: unknown) => Req, serve: (ctx: CallContext, req: Req) => unknown): Handler {
  return (ctx, req) => serve(ctx, decode(req));
}

const DATABASE = "projects/[^/]+/databases/[^/]+";

function parseBody(body: string): WireObject {
  if (body.trim() === "") return {};
  const value: unknown = JSON.parse(body);
  if (!isWireObject(value)) throw invalidArgument("The request body must be a JSON object.");
  return value;
}

/** RPCs Firestore has that this emulator does not serve: a clear UNIMPLEMENTED the SDKs surface. */
const UNIMPLEMENTED_METHODS = new Set(["executePipeline"]);

function unknownMethod(method: string): HttpError {
  const supported =
    "commit, batchGet, runQuery, runAggregationQuery, partitionQuery, beginTransaction, rollback, batchWrite, listCollectionIds";
  if (UNIMPLEMENTED_METHODS.has(method)) {
    return new HttpError(
      501,
      `The Hearth emulator does not implement ${method} (supported over REST: ${supported}).`,
      "UNIMPLEMENTED",
    );
  }
  return new HttpError(404, `Unknown method ${method} (supported: ${supported}).`, "NOT_FOUND");
}

function isDocumentPath(resource: string): boolean {
  const rest = resource
    .slice(resource.indexOf("/documents") + "/documents".length)
    .split("/")
    .filter(Boolean);
  return rest.length > 0 && rest.length % 2 === 0;
}

export function documentRoutes(deps: ServiceDeps): Route[] {
  const call = async (
    handler: Handler,
    req: WireObject,
    authorization: string | undefined,
  ): Promise<RouteResponse> => {
    const ctx: CallContext = { ...deps, principal: principalFromHeader(authorization) };
    return { status: 200, json: responseToJson(await handler(ctx, req)) };
  };
  const databaseActions: Record<string, Handler> = {
    commit: rpc(decodeCommitRequest, commit),
    batchGet: rpc(decodeBatchGetRequest, batchGetDocuments),
    beginTransaction: rpc(decodeBeginTransactionRequest, beginTransaction),
    rollback: rpc(decodeRollbackRequest, rollback),
    batchWrite: rpc(decodeBatchWriteRequest, batchWrite),
  };
  const parentActions: Record<string, Handler> = {
    runQuery: rpc(decodeRunQueryRequest, runQuery),
    runAggregationQuery: rpc(decodeRunAggregationQueryRequest, async (ctx, req) => [
      await runAggregationQuery(ctx, req),
    ]),
    listCollectionIds: rpc(decodeListCollectionIdsRequest, listCollectionIds),
    partitionQuery: rpc(decodePartitionQueryRequest, partitionQuery),
  };
  const get = rpc(decodeGetDocumentRequest, getDocument);
  const list = rpc(decodeListDocumentsRequest, listDocuments);
  const create = rpc(decodeCreateDocumentRequest, createDocument);
  const update = rpc(decodeUpdateDocumentRequest, updateDocument);
  const remove = rpc(decodeDeleteDocumentRequest, deleteDocument);
  return [
    {
      method: "POST",
      pattern: new RegExp(`^/v1/(${DATABASE})/documents:(\\w+)$`),
      handle: (m, body, _query, headers) => {
        const handler = databaseActions[m[2]!] ?? parentActions[m[2]!];
        if (!handler) throw unknownMethod(m[2]!);
        const req = parseBody(body);
        return call(
          handler,
          databaseActions[m[2]!] ? { ...req, database: m[1] } : { ...req, parent: `${m[1]}/documents` },
          headers.authorization,
        );
      },
    },
    {
      method: "POST",
      pattern: new RegExp(
        `^/v1/(${DATABASE}/documents/.+):(runQuery|runAggregationQuery|listCollectionIds|partitionQuery)$`,
      ),
      handle: (m, body, _query, headers) =>
        call(parentActions[m[2]!]!, { ...parseBody(body), parent: m[1] }, headers.authorization),
    },
    {
      method: "GET",
      pattern: new RegExp(`^/v1/(${DATABASE}/documents(?:/.+)?)$`),
      handle: (m, _body, query, headers) => {
        const mask = query.getAll("mask.fieldPaths");
        const resource = m[1]!;
        if (isDocumentPath(resource)) {
          return call(
            get,
            { name: resource, ...(mask.length ? { mask: { fieldPaths: mask } } : {}) },
            headers.authorization,
          );
        }
        const slash = resource.lastIndexOf("/");
        return call(
          list,
          {
            parent: resource.slice(0, slash),
            collectionId: resource.slice(slash + 1),
            pageSize: Number(query.get("pageSize") ?? 0),
            pageToken: query.get("pageToken") ?? "",
            showMissing: query.get("showMissing") === "true",
            ...(mask.length ? { mask: { fieldPaths: mask } } : {}),
          },
          headers.authorization,
        );
      },
    },
    {
      method: "POST",
      pattern: new RegExp(`^/v1/(${DATABASE}/documents(?:/[^:]+)?)/([^/:]+)$`),
      handle: (m, body, query, headers) =>
        call(
          create,
          {
            parent: m[1]!,
            collectionId: m[2]!,
            documentId: query.get("documentId") ?? "",
            document: parseBody(body),
          },
          headers.authorization,
        ),
    },
    {
      method: "PATCH",
      pattern: new RegExp(`^/v1/(${DATABASE}/documents/[^:]+)$`),
      handle: (m, body, query, headers) => {
        const mask = query.getAll("updateMask.fieldPaths");
        const exists = query.get("currentDocument.exists");
        return call(
          update,
          {
            document: { ...parseBody(body), name: m[1] },
            ...(mask.length ? { updateMask: { fieldPaths: mask } } : {}),
            ...(exists !== null ? { currentDocument: { exists: exists === "true" } } : {}),
          },
          headers.authorization,
        );
      },
    },
    {
      method: "DELETE",
      pattern: new RegExp(`^/v1/(${DATABASE}/documents/[^:]+)$`),
      handle: (m, _body, query, headers) => {
        const exists = query.get("currentDocument.exists");
        return call(
          remove,
          { name: m[1]!, ...(exists !== null ? { currentDocument: { exists: exists === "true" } } : {}) },
          headers.authorization,
        );
      },
    },
  ];
}
