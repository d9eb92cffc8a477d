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
  /** Batches wait for locks, so each runs after the one before it has been answered. */
  private tail: Promise<unknown> = Promise.resolve();
  readonly streamId = randomToken(8).toString("hex");

  constructor(private readonly ctx: CallContext) {}

  /**
   * Answers requests in the order they arrive, each decoded when its turn comes. Rejects with an
   * EmulatorError when a request is malformed or its batch fails; the stream is then failed and answers
   * the rest with nothing.
   */
  handle(decode: () => WriteCommand): Promise<WriteReply> {
    const reply = this.tail.then(() => this.serve(decode));
    this.tail = reply.catch(() => undefined);
    return reply;
  }

  /** Resolves once every request received so far has been answered. */
  drained(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  private async serve(decode: () => WriteCommand): Promise<WriteReply> {
    if (this.failed) return { kind: "none" };
    try {
      const command = decode();
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
        response: await commitWrites(this.ctx, db, command.writes),
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
