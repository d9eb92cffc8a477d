/**
 * Delivers document events to the Functions emulator after each commit, asynchronously: each function
 * gets its events in commit order, and functions get theirs side by side. Failed deliveries (stale trigger keys answer 404) are logged and dropped, like
 * the official emulator, so a broken function never blocks writes.
 */
import { KeyedQueue } from "../shared/keyed-queue.js";
import type { Logger } from "../shared/log.js";
import type { DatabaseId } from "../shared/resource-path.js";
import type { CommitEvent, DocChange } from "../store/memory-store.js";
import { cloudEvent, type EventRequest, legacyEvent } from "./events.js";
import { matchPattern } from "./pattern.js";
import type { ChangeKind, TriggerRegistry } from "./registry.js";

function kindOf(change: DocChange): ChangeKind | null {
  if (change.before && change.after) return "updated";
  if (change.after) return "created";
  return change.before ? "deleted" : null;
}

export class TriggerDelivery {
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly registry: TriggerRegistry,
    private readonly functionsHost: string,
    private readonly log: Logger,
  ) {}

  onCommit(db: DatabaseId, event: CommitEvent): void {
    const triggers = this.registry.forDatabase(db.project, db.database);
    if (triggers.length === 0) return;
    for (const change of event.changes) {
      const kind = kindOf(change);
      if (!kind) continue;
      for (const trigger of triggers) {
        if (!trigger.kinds.has(kind) || matchPattern(trigger.pattern, change.path) === null) continue;
        const request =
          trigger.protocol === "v2"
            ? cloudEvent(trigger, db, change, event.commitTime, event.origin)
            : legacyEvent(trigger, db, change, event.commitTime);
        const url = `http://${this.functionsHost}/functions/projects/${encodeURIComponent(db.project)}/triggers/${encodeURIComponent(trigger.key)}`;
        this.queue.add(url, () => this.send(url, request));
      }
    }
  }

  private async send(url: string, request: EventRequest): Promise<void> {
    try {
      const res = await fetch(url, { method: "POST", headers: request.headers, body: request.body });
      await res.arrayBuffer();
      if (!res.ok) this.log.warn(`trigger delivery to ${url} answered ${res.status}`);
    } catch (error) {
      this.log.warn(`trigger delivery to ${url} failed: ${(error as Error).message}`);
    }
  }

  /** Resolves once every event queued so far has been sent (used at shutdown and in tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }
}
