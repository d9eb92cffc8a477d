/**
 * The latency floor for firebase-admin's single-document calls: a raw gRPC round trip to an echo server
 * in another process on this machine, with no Firestore, no protobuf and no rules. firebase-admin writes
 * with a unary call (Commit) and reads with a server stream (BatchGetDocuments), so both are here.
 */
import { createRequire } from "node:module";
import path from "node:path";
import type { ServiceDefinition } from "@grpc/grpc-js";
import { freePort, HOST, type Launched, launch, root } from "./emulator.js";

/**
 * The grpc-js the emulator serves with (the root's hoisted copy is an older 1.9; firebase-admin's
 * google-gax has the same newer one as the emulator), so the floor runs the library both sides run.
 */
export const grpc = createRequire(path.join(root, "emulator/package.json"))(
  "@grpc/grpc-js",
) as typeof import("@grpc/grpc-js");

const bytes = (b: Buffer) => b;
const method = (name: string, responseStream: boolean) => ({
  path: `/hearth.bench.Echo/${name}`,
  requestStream: false,
  responseStream,
  requestSerialize: bytes,
  requestDeserialize: bytes,
  responseSerialize: bytes,
  responseDeserialize: bytes,
});

export const ECHO_SERVICE: ServiceDefinition = {
  unary: method("Unary", false),
  stream: method("Stream", true),
};

export interface Echo {
  /** One unary round trip of `payload`. */
  unary(payload: Buffer): Promise<void>;
  /** One server-stream call answering `payload` once. */
  stream(payload: Buffer): Promise<void>;
  stop(): Promise<void>;
}

export async function startEcho(): Promise<Echo> {
  const port = await freePort();
  const server: Launched = await launch(
    process.execPath,
    ["--import", "tsx", path.join(root, "scripts/bench/support/grpc-echo-server.ts"), String(port)],
    [port],
  );
  const client = new grpc.Client(`${HOST}:${port}`, grpc.credentials.createInsecure());
  return {
    unary: (payload) =>
      new Promise((resolve, reject) =>
        client.makeUnaryRequest(ECHO_SERVICE.unary!.path, bytes, bytes, payload, (error) =>
          error ? reject(error) : resolve(),
        ),
      ),
    stream: (payload) =>
      new Promise((resolve, reject) => {
        const call = client.makeServerStreamRequest(ECHO_SERVICE.stream!.path, bytes, bytes, payload);
        call.on("data", () => {});
        call.once("end", resolve);
        call.once("error", reject);
      }),
    async stop() {
      client.close();
      await server.stop();
    },
  };
}
