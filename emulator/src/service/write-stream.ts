/**
 * The Write stream's meaning, for every transport (gRPC, WebChannel): a handshake that hands out a
 * stream token, then one atomic batch per request, answered in order. The first failing batch fails the
 * stream; the transport ends it with that error and later requests are ignored, so the SDK re-sends them
 * on a new stream.
 */
import { randomToken } from "../shared/ids.js";
import { parseDatabaseName } from "../shared/resource-path.js";
import type { Database } from "../store/databases.js";
import { parseWrite } from "../store/write-op.js";
import { commitWrites } from "./commit.js";
import type { CallContext } from "./context.js";

/** One WriteRequest, decoded by the transport. `writes` stay in the wire shape `parseWrite` reads. */
export interface WriteCommand {
  database?: string;
  writes: ReadonlyArray<Record<string, unknown>>;
}

/** Decodes a WriteRequest (proto-loader objects or proto3 JSON: the envelope is the same). */
export function decodeWriteRequest(req: unknown): WriteCommand {
  const raw = req !== null && typeof req === "object" ? (req as Record<string, unknown>) : {};
  const writes = Array.isArray(raw.writes) ? (raw.writes as Array<Record<string, unknown>>) : [];
  return typeof raw.database === "string" && raw.database ? { database: raw.database, writes } : { writes };
}

/** What the stream answers: the handshake, a batch result, or nothing (an empty request). */
export type WriteReply =
  | { kind: "handshake"; streamId: string; streamToken: Buffer }
  | { kind: "result"; streamToken: Buffer; response: Record<string, unknown> }
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
        this.db = this.ctx.databases.get(parseDatabaseName(command.database ?? ""));
        return { kind: "handshake", streamId: this.streamId, streamToken: randomToken(8) };
      }
      if (command.writes.length === 0) return { kind: "none" };
      const db = this.db;
      const ops = command.writes.map((w) => parseWrite(w, db.id));
      return { kind: "result", streamToken: randomToken(8), response: commitWrites(this.ctx, db, ops) };
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
