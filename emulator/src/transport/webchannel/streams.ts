/**
 * The Firestore streams carried over WebChannel. Each adapter decodes the client's proto3 JSON messages
 * into the same typed commands the gRPC transport produces, runs them through the shared listen and
 * write-stream services, and encodes the answers back to proto3 JSON. A stream-level failure becomes
 * the `{"error": {...}}` message the SDK turns into a FirestoreError, after which the stream ignores
 * further requests (the SDK closes the channel and opens a new one).
 */
import { ListenSession } from "../../listen/session.js";
import type { CallContext } from "../../service/context.js";
import { WriteStreamSession } from "../../service/write-stream.js";
import { EmulatorError, invalidArgument, isEmulatorError } from "../../shared/errors.js";
import type { Logger } from "../../shared/log.js";
import { decodeListenRequest } from "../../wire/listen.js";
import { decodeWriteRequest } from "../../wire/write-stream.js";
import { HTTP_STATUS } from "../http/errors.js";
import { responseToJson } from "../http/rest-json.js";

/** Where a stream's answers go: the session's outbox, as JSON text. */
export type StreamSink = (payload: string) => void;

export interface ChannelStream {
  /** One client message (JSON text), in order. */
  receive(json: string): void;
  close(): void;
}

/** The stream names the SDK opens (`/google.firestore.v1.Firestore/<name>/channel`). */
export const STREAM_NAMES = ["Listen", "Write"] as const;

function parseMessage(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw invalidArgument("A WebChannel message must be JSON text.");
  }
}

/** The error message the SDK's WebChannelConnection reads (`error.status`, `error.message`). */
export function errorPayload(error: unknown, log: Logger): string {
  if (isEmulatorError(error)) {
    return JSON.stringify({
      error: { code: HTTP_STATUS[error.code], message: error.message, status: error.code },
    });
  }
  log.error(
    `WebChannel stream failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return JSON.stringify({ error: { code: 500, message: "Internal emulator error.", status: "INTERNAL" } });
}

/** Wraps a stream so its first failure is sent as an error message and later requests are ignored. */
function guarded(handle: (json: string) => void, close: () => void, sink: StreamSink, log: Logger) {
  let failed = false;
  return {
    receive(json: string) {
      if (failed) return;
      try {
        handle(json);
      } catch (error) {
        failed = true;
        close();
        sink(errorPayload(error, log));
      }
    },
    close,
  } satisfies ChannelStream;
}

function listenStream(ctx: CallContext, sink: StreamSink, log: Logger): ChannelStream {
  const session = new ListenSession(ctx, (message) => sink(JSON.stringify(responseToJson(message))));
  return guarded(
    (json) => session.handle(decodeListenRequest(parseMessage(json))),
    () => session.close(),
    sink,
    log,
  );
}

/** Batches are answered in order once their locks are held; the first failure is sent as the error. */
function writeStream(ctx: CallContext, sink: StreamSink, log: Logger): ChannelStream {
  const session = new WriteStreamSession(ctx);
  let closed = false;
  return {
    receive(json) {
      if (session.isFailed) return;
      session
        .handle(() => decodeWriteRequest(parseMessage(json)))
        .then(
          (reply) => {
            if (closed) return;
            if (reply.kind === "handshake") {
              sink(
                JSON.stringify(responseToJson({ streamId: reply.streamId, streamToken: reply.streamToken })),
              );
            } else if (reply.kind === "result") {
              sink(JSON.stringify(responseToJson({ streamToken: reply.streamToken, ...reply.response })));
            }
          },
          (error: unknown) => {
            if (!closed) sink(errorPayload(error, log));
          },
        );
    },
    close() {
      closed = true;
      session.fail();
    },
  };
}

/** A stream this emulator does not serve: the client sees UNIMPLEMENTED instead of waiting for ever. */
function unsupportedStream(name: string, sink: StreamSink, log: Logger): ChannelStream {
  sink(
    errorPayload(
      new EmulatorError(
        "UNIMPLEMENTED",
        `The Hearth emulator does not serve the ${name} stream over WebChannel (only ${STREAM_NAMES.join(" and ")}).`,
      ),
      log,
    ),
  );
  return { receive() {}, close() {} };
}

export function openStream(name: string, ctx: CallContext, sink: StreamSink, log: Logger): ChannelStream {
  if (name === "Listen") return listenStream(ctx, sink, log);
  if (name === "Write") return writeStream(ctx, sink, log);
  return unsupportedStream(name, sink, log);
}
