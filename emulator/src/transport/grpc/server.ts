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
import { decodeListenRequest } from "../../listen/commands.js";
import { ListenSession } from "../../listen/session.js";
import { batchWrite, beginTransaction, commit, rollback } from "../../service/commit.js";
import type { CallContext, ServiceDeps } from "../../service/context.js";
import { listCollectionIds, listDocuments } from "../../service/metadata.js";
import { runAggregationQuery, runQuery } from "../../service/query.js";
import { batchGetDocuments, getDocument } from "../../service/read.js";
import { createDocument, deleteDocument, updateDocument } from "../../service/single-document.js";
import type { Logger } from "../../shared/log.js";
import { firestoreService } from "./proto.js";
import { toServiceError } from "./status.js";
import { handleWriteStream } from "./write-stream.js";

type Raw = Record<string, unknown>;

const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

export interface GrpcTransport {
  inject(connection: Duplex): void;
  close(): void;
}

export function startGrpc(deps: ServiceDeps, log: Logger): GrpcTransport {
  const context = (metadata: Metadata): CallContext => {
    const header = metadata.get("authorization")[0];
    return { ...deps, principal: principalFromHeader(typeof header === "string" ? header : undefined) };
  };
  const unary =
    (fn: (ctx: CallContext, req: Raw) => Raw): handleUnaryCall<Raw, Raw> =>
    (call, callback) => {
      try {
        callback(null, fn(context(call.metadata), call.request));
      } catch (error) {
        callback(toServiceError(error, log));
      }
    };
  const stream =
    (fn: (ctx: CallContext, req: Raw) => Raw[]): handleServerStreamingCall<Raw, Raw> =>
    (call) => {
      try {
        for (const message of fn(context(call.metadata), call.request)) call.write(message);
        call.end();
      } catch (error) {
        call.emit("error", toServiceError(error, log));
      }
    };
  const listen: handleBidiStreamingCall<Raw, Raw> = (call) => {
    const session = new ListenSession(context(call.metadata), (message) => {
      if (!call.cancelled && !call.destroyed) call.write(message);
    });
    call.on("data", (req: Raw) => {
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
    GetDocument: unary(getDocument),
    ListDocuments: unary(listDocuments),
    CreateDocument: unary(createDocument),
    UpdateDocument: unary(updateDocument),
    DeleteDocument: unary(deleteDocument),
    BatchGetDocuments: stream(batchGetDocuments),
    BeginTransaction: unary(beginTransaction),
    Commit: unary(commit),
    Rollback: unary(rollback),
    RunQuery: stream(runQuery),
    RunAggregationQuery: stream((ctx, req) => [runAggregationQuery(ctx, req)]),
    ListCollectionIds: unary(listCollectionIds),
    BatchWrite: unary(batchWrite),
    Write: ((call) => handleWriteStream(call, context(call.metadata), log)) as handleBidiStreamingCall<
      Raw,
      Raw
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
