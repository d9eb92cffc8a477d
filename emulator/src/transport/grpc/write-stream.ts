/**
 * The Write stream over gRPC: decodes each WriteRequest into a command for the shared
 * `WriteStreamSession` and ends the call with the status of the first failing batch.
 */
import type { ServerDuplexStream } from "@grpc/grpc-js";
import type { CallContext } from "../../service/context.js";
import { type WriteCommand, WriteStreamSession } from "../../service/write-stream.js";
import type { Logger } from "../../shared/log.js";
import { toServiceError } from "./status.js";

type Raw = Record<string, unknown>;

function decode(req: Raw): WriteCommand {
  return {
    ...(typeof req.database === "string" && req.database ? { database: req.database } : {}),
    writes: (req.writes as Raw[] | undefined) ?? [],
  };
}

export function handleWriteStream(call: ServerDuplexStream<Raw, Raw>, ctx: CallContext, log: Logger): void {
  const session = new WriteStreamSession(ctx);
  call.on("data", (req: Raw) => {
    if (session.isFailed || call.cancelled) return;
    try {
      const reply = session.handle(decode(req));
      if (reply.kind === "handshake")
        call.write({ streamId: reply.streamId, streamToken: reply.streamToken });
      else if (reply.kind === "result") call.write({ streamToken: reply.streamToken, ...reply.response });
    } catch (error) {
      call.emit("error", toServiceError(error, log));
    }
  });
  call.on("end", () => {
    if (!session.isFailed) call.end();
  });
  call.on("error", () => {
    session.fail();
  });
}
