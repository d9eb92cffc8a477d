/**
 * The Write stream over gRPC: decodes each WriteRequest into a command for the shared
 * `WriteStreamSession` and ends the call with the status of the first failing batch.
 */
import type { ServerDuplexStream } from "@grpc/grpc-js";
import type { CallContext } from "../../service/context.js";
import { WriteStreamSession } from "../../service/write-stream.js";
import type { Logger } from "../../shared/log.js";
import type { WireObject } from "../../wire/object.js";
import { decodeWriteRequest } from "../../wire/write-stream.js";
import { toServiceError } from "./status.js";

export function handleWriteStream(
  call: ServerDuplexStream<WireObject, object>,
  ctx: CallContext,
  log: Logger,
): void {
  const session = new WriteStreamSession(ctx);
  call.on("data", (req: WireObject) => {
    if (session.isFailed || call.cancelled) return;
    session
      .handle(() => decodeWriteRequest(req))
      .then(
        (reply) => {
          if (call.cancelled) return;
          if (reply.kind === "handshake")
            call.write({ streamId: reply.streamId, streamToken: reply.streamToken });
          else if (reply.kind === "result") call.write({ streamToken: reply.streamToken, ...reply.response });
        },
        (error: unknown) => {
          if (!call.cancelled) call.emit("error", toServiceError(error, log));
        },
      );
  });
  call.on("end", () => {
    void session.drained().then(() => {
      if (!session.isFailed && !call.cancelled) call.end();
    });
  });
  call.on("error", () => {
    session.fail();
  });
}
