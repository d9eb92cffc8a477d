/**
 * The Write stream (JS SDK): a handshake that hands out a stream token, then one atomic batch per
 * request, answered in order. The first failing batch ends the stream with its status; later requests
 * on that stream are ignored, so the SDK re-sends them on a new stream.
 */
import type { ServerDuplexStream } from "@grpc/grpc-js";
import { commitWrites } from "../../service/commit.js";
import type { CallContext } from "../../service/context.js";
import { randomToken } from "../../shared/ids.js";
import type { Logger } from "../../shared/log.js";
import { parseDatabaseName } from "../../shared/resource-path.js";
import type { Database } from "../../store/databases.js";
import { parseWrite } from "../../store/write-op.js";
import { toServiceError } from "./status.js";

type Raw = Record<string, unknown>;

export function handleWriteStream(call: ServerDuplexStream<Raw, Raw>, ctx: CallContext, log: Logger): void {
  let db: Database | null = null;
  let failed = false;
  const streamId = randomToken(8).toString("hex");
  const token = () => randomToken(8);
  call.on("data", (req: Raw) => {
    if (failed || call.cancelled) return;
    try {
      if (!db) {
        db = ctx.databases.get(parseDatabaseName(String(req.database ?? "")));
        call.write({ streamId, streamToken: token() });
        return;
      }
      const writes = (req.writes as Raw[] | undefined) ?? [];
      if (writes.length === 0) return;
      const ops = writes.map((w) => parseWrite(w, db!.id));
      call.write({ streamToken: token(), ...commitWrites(ctx, db, ops) });
    } catch (error) {
      failed = true;
      call.emit("error", toServiceError(error, log));
    }
  });
  call.on("end", () => {
    if (!failed) call.end();
  });
  call.on("error", () => {
    failed = true;
  });
}
