/**
 * A raw gRPC client for `google.firestore.v1.Firestore` built from the emulator's own proto loading, for
 * requests no SDK can produce (arbitrary wire values, reserved names, unauthenticated metadata calls).
 */
import { credentials, loadPackageDefinition, Metadata, type ServiceError } from "@grpc/grpc-js";
import { firestoreDefinition } from "../../../emulator/src/transport/grpc/proto.js";
import type { WireObject as Raw } from "../../../emulator/src/wire/object.js";
import type { TestEmulator } from "../../support/emulator.js";

type Callback = (error: ServiceError | null, response: Raw) => void;
type StreamCall = NodeJS.EventEmitter;
type RawClient = Record<string, (request: Raw, metadata: Metadata, callback?: Callback) => StreamCall> & {
  close(): void;
};

interface DuplexCall extends NodeJS.EventEmitter {
  write(message: Raw): void;
  cancel(): void;
}

export interface BidiStream {
  received: Raw[];
  /** How the server ended the stream. */
  status: Promise<{ code: number; details: string }>;
  send(request: Raw): void;
  /** Resolves once `predicate` holds for everything received so far. */
  until(predicate: (received: Raw[]) => boolean): Promise<Raw[]>;
  close(): void;
}

export interface RpcResult {
  ok: boolean;
  code: number;
  message: string;
  response: Raw | Raw[];
}

export class FirestoreRpc {
  private readonly client: RawClient;

  constructor(emu: TestEmulator) {
    const pkg = loadPackageDefinition(firestoreDefinition()) as unknown as {
      google: { firestore: { v1: { Firestore: new (address: string, creds: unknown) => RawClient } } };
    };
    this.client = new pkg.google.firestore.v1.Firestore(
      `${emu.host}:${emu.port}`,
      credentials.createInsecure(),
    );
  }

  private metadata(owner: boolean): Metadata {
    const md = new Metadata();
    if (owner) md.set("authorization", "Bearer owner");
    return md;
  }

  unary(method: string, request: Raw, owner = true): Promise<RpcResult> {
    return new Promise((resolve) => {
      this.client[method]!(request, this.metadata(owner), (error, response) => {
        resolve(
          error
            ? { ok: false, code: error.code, message: error.details, response: {} }
            : { ok: true, code: 0, message: "", response },
        );
      });
    });
  }

  stream(method: string, request: Raw, owner = true): Promise<RpcResult> {
    return this.cancellableStream(method, request, owner).result;
  }

  /** A server-streaming call the test can cancel before it ends. */
  cancellableStream(
    method: string,
    request: Raw,
    owner = true,
  ): { result: Promise<RpcResult>; cancel(): void } {
    const out: Raw[] = [];
    const call = this.client[method]!(request, this.metadata(owner)) as StreamCall & { cancel(): void };
    const result = new Promise<RpcResult>((resolve) => {
      call.on("data", (m: Raw) => out.push(m));
      call.on("error", (error: ServiceError) =>
        resolve({ ok: false, code: error.code, message: error.details, response: out }),
      );
      call.on("end", () => resolve({ ok: true, code: 0, message: "", response: out }));
    });
    return { result, cancel: () => call.cancel() };
  }

  /** Opens a bidirectional stream (Listen or Write) and collects what the server sends. */
  bidi(method: string, owner = true): BidiStream {
    const call = (this.client[method] as unknown as (metadata: Metadata) => DuplexCall)(this.metadata(owner));
    const received: Raw[] = [];
    const waiters: Array<() => void> = [];
    call.on("data", (m: Raw) => {
      received.push(m);
      for (const w of waiters.splice(0)) w();
    });
    const status = new Promise<{ code: number; details: string }>((resolve) => {
      call.on("error", (error: ServiceError) => resolve({ code: error.code, details: error.details }));
      call.on("end", () => resolve({ code: 0, details: "" }));
    });
    return {
      received,
      status,
      send: (request) => call.write(request),
      until: (predicate) =>
        new Promise<Raw[]>((resolve) => {
          const check = () => (predicate(received) ? resolve(received) : waiters.push(check));
          check();
        }),
      close: () => call.cancel(),
    };
  }

  close(): void {
    this.client.close();
  }
}
