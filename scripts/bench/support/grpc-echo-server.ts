/**
 * A raw gRPC echo server (bytes in and out, no protobuf schema): a unary method and a one-message server
 * stream. Run as its own process by grpc-echo.ts, on the port given as the only argument.
 */
import type { ServerUnaryCall, ServerWritableStream, sendUnaryData } from "@grpc/grpc-js";
import { ECHO_SERVICE, grpc } from "./grpc-echo.js";

const server = new grpc.Server();
server.addService(ECHO_SERVICE, {
  unary: (call: ServerUnaryCall<Buffer, Buffer>, done: sendUnaryData<Buffer>) => done(null, call.request),
  stream: (call: ServerWritableStream<Buffer, Buffer>) => {
    call.write(call.request);
    call.end();
  },
});
server.bindAsync(`127.0.0.1:${process.argv[2]}`, grpc.ServerCredentials.createInsecure(), (error) => {
  if (error) throw error;
});
process.on("SIGTERM", () => server.forceShutdown());
