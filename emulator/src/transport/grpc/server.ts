/**
 * The gRPC side: registers `google.firestore.v1.Firestore` handlers that decode the caller, call the
 * data-plane services and map errors to statuses. Connections arrive through the port multiplexer.
 */

import type { Duplex } from "node:stream";
import {
  type handleBidiStreamingCall,
  type handleServerStreamingCall,
  type handleUnaryCall,
  type Metadata,
  Server,
  ServerCredentials,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { principalFromHeader } from "../../auth/token.js";
import { ListenSession } from "../../listen/session.js";
import { batchWrite, beginTransaction, commit, rollback } from "../../service/commit.js";
import type { CallContext, ServiceDeps } from "../../service/context.js";
import { listCollectionIds, listDocuments } from "../../service/metadata.js";
import { partitionQuery } from "../../service/partition.js";
import { runAggregationQuery, runQuery } from "../../service/query.js";
import { batchGetDocuments, getDocument } from "../../service/read.js";
import { createDocument, deleteDocument, updateDocument } from "../../service/single-document.js";
import type { Logger } from "../../shared/log.js";
import { decodeListenRequest } from "../../wire/listen.js";
import type { WireObject } from "../../wire/object.js";
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
} from "../../wire/requests.js";
import { firestoreService } from "./proto.js";
import { toServiceError } from "./status.js";
import { handleWriteStream } from "./write-stream.js";

/** Responses go to proto-loader's serializer as they are: the services answer in the message shapes. */
type Message = object;

const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

export interface GrpcTransport {
  inject(connection: Duplex): void;
  close(): void;
}

export function startGrpc(deps: ServiceDeps, log: Logger): GrpcTransport {
  /** The caller's context; its signal aborts when the client cancels, ending any lock wait. */
  const context = (call: { metadata: Metadata } & NodeJS.EventEmitter): CallContext => {
    const header = call.metadata.get("authorization")[0];
    const cancelled = new AbortController();
    call.once("cancelled", () => cancelled.abort());
    return {
      ...deps,
      principal: principalFromHeader(typeof header === "string" ? header : undefined),
      signal: cancelled.signal,
    };
  };
  const unary =
    <Req>(
      decode: (raw: unknown) => Req,
      fn: (ctx: CallContext, req: Req) => Message | Promise<Message>,
    ): handleUnaryCall<WireObject, Message> =>
    (call, callback) => {
      const ctx = context(call);
      Promise.resolve()
        .then(() => fn(ctx, decode(call.request)))
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(toServiceError(error, log)),
        );
    };
  const stream =
    <Req>(
      decode: (raw: unknown) => Req,
      fn: (ctx: CallContext, req: Req) => Message[] | Promise<Message[]>,
    ): handleServerStreamingCall<WireObject, Message> =>
    (call) => {
      const ctx = context(call);
      Promise.resolve()
        .then(() => fn(ctx, decode(call.request)))
        .then(
          (messages) => {
            if (call.cancelled) return;
            for (const message of messages) call.write(message);
            call.end();
          },
          (error: unknown) => {
            if (!call.cancelled) call.emit("error", toServiceError(error, log));
          },
        );
    };
  const listen: handleBidiStreamingCall<WireObject, Message> = (call) => {
    const session = new ListenSession(context(call), (message) => {
      if (!call.cancelled && !call.destroyed) call.write(message);
    });
    call.on("data", (req: WireObject) => {
      try {
        session.handle(decodeListenRequest(req));
      } catch (error) {
        session.close();
        call.emit("error", toServiceError(error, log));
      }
    });
    const end = () => session.close();
    call.on("end", () => {
      end();
      call.end();
    });
    call.on("cancelled", end);
    call.on("error", end);
    call.on("close", end);
  };
  const handlers: UntypedServiceImplementation = {
    GetDocument: unary(decodeGetDocumentRequest, getDocument),
    ListDocuments: unary(decodeListDocumentsRequest, listDocuments),
    CreateDocument: unary(decodeCreateDocumentRequest, createDocument),
    UpdateDocument: unary(decodeUpdateDocumentRequest, updateDocument),
    DeleteDocument: unary(decodeDeleteDocumentRequest, deleteDocument),
    BatchGetDocuments: stream(decodeBatchGetRequest, batchGetDocuments),
    BeginTransaction: unary(decodeBeginTransactionRequest, beginTransaction),
    Commit: unary(decodeCommitRequest, commit),
    Rollback: unary(decodeRollbackRequest, rollback),
    RunQuery: stream(decodeRunQueryRequest, runQuery),
    RunAggregationQuery: stream(decodeRunAggregationQueryRequest, async (ctx, req) => [
      await runAggregationQuery(ctx, req),
    ]),
    ListCollectionIds: unary(decodeListCollectionIdsRequest, listCollectionIds),
    PartitionQuery: unary(decodePartitionQueryRequest, partitionQuery),
    BatchWrite: unary(decodeBatchWriteRequest, batchWrite),
    Write: ((call) => handleWriteStream(call, context(call), log)) as handleBidiStreamingCall<
      WireObject,
      Message
    >,
    Listen: listen,
  };
  const server = new Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  server.addService(firestoreService(), handlers);
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  return {
    inject: (connection) => injector.injectConnection(connection),
    close: () => {
      injector.destroy();
      server.forceShutdown();
    },
  };
}
