/**
 * One Listen stream: adds and removes targets, sends each target's initial documents, then pushes the
 * changes of every commit followed by one global snapshot (NO_CHANGE with no target ids and a read time),
 * the only message that makes clients raise a snapshot. Requests are handled strictly in order.
 */
import { planQuery } from "../query/plan.js";
import type { CallContext } from "../service/context.js";
import { checkGet, checkQuery } from "../service/security.js";
import { type EmulatorError, invalidArgument, isEmulatorError, STATUS_NUMBER } from "../shared/errors.js";
import { type DatabaseId, databaseKey, documentName } from "../shared/resource-path.js";
import type { Database } from "../store/databases.js";
import { toWireDocument } from "../store/document.js";
import type { CommitEvent, DocumentSource } from "../store/memory-store.js";
import { microsToTimestamp } from "../store/timestamp.js";
import type { ListenCommand, ListenResponse, ListenTargetSpec } from "./commands.js";
import { resumeToken } from "./resume-token.js";
import { ListenTarget, type TargetEvent, type TargetSpec } from "./target.js";

export const HEARTBEAT_MS = 30_000;

export class ListenSession {
  private readonly targets = new Map<number, ListenTarget>();
  private db: Database | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly ctx: CallContext,
    private readonly send: (message: ListenResponse) => void,
  ) {
    this.heartbeat = setInterval(() => {
      if (this.targets.size > 0) this.globalSnapshot(this.ctx.clock.now());
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  handle(command: ListenCommand): void {
    if (command.kind === "add") this.add(command);
    else if (command.kind === "reject") this.refuse(command.targetId, command.error);
    else if (command.kind === "remove") this.remove(command.targetId);
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.targets.clear();
  }

  private database(id: DatabaseId): Database {
    if (this.db && databaseKey(this.db.id) !== databaseKey(id)) {
      throw invalidArgument("A Listen stream serves one database.");
    }
    if (!this.db) {
      this.db = this.ctx.databases.get(id);
      this.unsubscribe = this.db.store.onChange((event) => this.onCommit(event));
    }
    return this.db;
  }

  private spec(target: ListenTargetSpec): TargetSpec {
    if (target.kind === "documents") return { kind: "documents", paths: new Set(target.paths) };
    return { kind: "query", plan: planQuery(target.parent, target.query) };
  }

  private add(command: Extract<ListenCommand, { kind: "add" }>): void {
    const { targetId, target } = command;
    try {
      const db = this.database(command.database);
      const spec = this.spec(target);
      const now = this.ctx.clock.now();
      if (target.kind === "documents") checkGet(this.ctx, db.id, db.store, [...new Set(target.paths)], now);
      else checkQuery(this.ctx, db.id, db.store, target.parent, target.query, now);
      const listenTarget = new ListenTarget(targetId, spec, db.id);
      this.targets.set(targetId, listenTarget);
      this.send({ targetChange: { targetChangeType: "ADD", targetIds: [targetId] } });
      // A resumed target gets only what changed since its token while the history reaches back that
      // far; otherwise RESET tells the client to forget its view, and it gets everything again.
      const past = this.pastView(db, command.resume, now);
      if (past) {
        for (const change of listenTarget.resume(past, db.store)) {
          this.send(this.message(targetId, change, now));
        }
      } else {
        if (command.resume) this.send({ targetChange: { targetChangeType: "RESET", targetIds: [targetId] } });
        for (const doc of listenTarget.initial(db.store)) {
          this.send({ documentChange: { document: toWireDocument(db.id, doc), targetIds: [targetId] } });
        }
      }
      this.send({
        targetChange: { targetChangeType: "CURRENT", targetIds: [targetId], resumeToken: resumeToken(now) },
      });
      this.globalSnapshot(now);
    } catch (error) {
      if (!isEmulatorError(error)) throw error;
      this.refuse(targetId, error);
    }
  }

  private pastView(db: Database, resume: { time: number | null } | null, now: number): DocumentSource | null {
    const time = resume?.time ?? null;
    if (time === null || time > now || time < db.store.history.earliest(now)) return null;
    return db.store.at(time);
  }

  private refuse(targetId: number, error: EmulatorError): void {
    this.targets.delete(targetId);
    this.send({
      targetChange: {
        targetChangeType: "REMOVE",
        targetIds: [targetId],
        cause: { code: STATUS_NUMBER[error.code], message: error.message },
      },
    });
  }

  private remove(targetId: number): void {
    this.targets.delete(targetId);
    this.send({ targetChange: { targetChangeType: "REMOVE", targetIds: [targetId] } });
  }

  private globalSnapshot(readTime: number): void {
    this.send({
      targetChange: {
        targetChangeType: "NO_CHANGE",
        targetIds: [],
        readTime: microsToTimestamp(readTime),
        resumeToken: resumeToken(readTime),
      },
    });
  }

  private onCommit(event: CommitEvent): void {
    if (!this.db || this.targets.size === 0) return;
    let sent = false;
    for (const target of this.targets.values()) {
      for (const change of target.changesFor(event.changes, this.db.store)) {
        this.send(this.message(target.id, change, event.commitTime));
        sent = true;
      }
    }
    if (sent) this.globalSnapshot(event.commitTime);
  }

  private message(targetId: number, change: TargetEvent, commitTime: number): ListenResponse {
    const db = this.db!.id;
    const readTime = microsToTimestamp(commitTime);
    switch (change.type) {
      case "change":
        return { documentChange: { document: toWireDocument(db, change.doc), targetIds: [targetId] } };
      case "delete":
        return {
          documentDelete: { document: documentName(db, change.path), removedTargetIds: [targetId], readTime },
        };
      case "remove":
        return {
          documentRemove: { document: documentName(db, change.path), removedTargetIds: [targetId], readTime },
        };
    }
  }
}
