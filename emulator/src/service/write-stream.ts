/**
 * The Write stream's meaning, for every transport (gRPC, WebChannel): a handshake that hands out a
 * stream token, then one atomic batch per request, answered in order. The first failing batch fails the
 * stream; the transport ends it with that error and later requests are ignored, so the SDK re-sends them
 * on a new stream.
 */
import { invalidArgument } from "../shared/errors.js";
import { randomToken } from "../shared/ids.js";
import { type DatabaseId, requireDatabase } from "../shared/resource-path.js";
import type { Database } from "../store/databases.js";
import type { WriteOp } from "../store/write-op.js";
import { type CommitResponse, commitWrites } from "./commit.js";
import type { CallContext } from "./context.js";

/** One WriteRequest, decoded by the transport (wire/write-stream.ts). */
export interface WriteCommand {
  /** Null when the request names no database (only the first must). */
  database: DatabaseId | null;
  /** Each write's own database is checked against the stream's here. */
  writes: WriteOp[];
}

/** What the stream answers: the handshake, a batch result, or nothing (an empty request). */
export type WriteReply =
  | { kind: "handshake"; streamId: string; streamToken: Buffer }
  | { kind: "result"; streamToken: Buffer; response: CommitResponse }
  | { kind: "none" };

export class WriteStreamSession {
  private db: Database | null = null;
  private failed = false;
  readonly streamId = randomToken(8).toString("hex");

  constructor(private readonly ctx: CallContext) {}

  /** Throws an EmulatorError when the batch fails; the stream is then failed and ignores the rest. */
  handle(command: WriteCommand): WriteReply {
    if (this.failed) return { kind: "none" };
    try {
      if (!this.db) {
        if (!command.database) throw invalidArgument("The first WriteRequest must name a database.");
        this.db = this.ctx.databases.get(command.database);
        return { kind: "handshake", streamId: this.streamId, streamToken: randomToken(8) };
      }
      if (command.writes.length === 0) return { kind: "none" };
      const db = this.db;
      for (const op of command.writes) requireDatabase(op.name, op.database, db.id);
      return {
        kind: "result",
        streamToken: randomToken(8),
        response: commitWrites(this.ctx, db, command.writes),
      };
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /** Marks the stream as ended by its transport (cancelled, errored). */
  fail(): void {
    this.failed = true;
  }

  get isFailed(): boolean {
    return this.failed;
  }
}
