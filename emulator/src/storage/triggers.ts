/**
 * Storage triggers: registrations per project (trigger key, event type, bucket) and delivery of object
 * events to the Functions emulator as v2 CloudEvents in structured JSON mode, the shape deployed
 * `onObjectFinalized`/`onObjectDeleted`/`onObjectMetadataUpdated` receive. Delivery is queued, in order
 * per function and side by side across functions, never awaited by the request that caused it; failures
 * are logged and dropped.
 */

import { eventId } from "../shared/ids.js";
import { KeyedQueue } from "../shared/keyed-queue.js";
import type { Logger } from "../shared/log.js";
import { invalid } from "./errors.js";
import type { StoredObject } from "./object.js";
import { gcsResource } from "./resource.js";

export const STORAGE_EVENT_TYPES = [
  "google.cloud.storage.object.v1.finalized",
  "google.cloud.storage.object.v1.deleted",
  "google.cloud.storage.object.v1.metadataUpdated",
  "google.cloud.storage.object.v1.archived",
] as const;

export type StorageEventType = (typeof STORAGE_EVENT_TYPES)[number];

export interface StorageTrigger {
  triggerId: string;
  eventType: StorageEventType;
  bucket: string;
}

/** Decodes a registration body: `{ triggerId, eventType, bucket }`. */
export function decodeTrigger(json: unknown): StorageTrigger {
  const r = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  const { triggerId, eventType, bucket } = r;
  if (typeof triggerId !== "string" || triggerId === "")
    throw invalid("triggerId must be a non-empty string.");
  if (typeof bucket !== "string" || bucket === "") throw invalid("bucket must be a non-empty string.");
  if (!STORAGE_EVENT_TYPES.includes(eventType as StorageEventType)) {
    throw invalid(`eventType must be one of ${STORAGE_EVENT_TYPES.join(", ")}.`);
  }
  return { triggerId, eventType: eventType as StorageEventType, bucket };
}

export class StorageTriggers {
  private readonly byProject = new Map<string, Map<string, StorageTrigger>>();
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly functionsHost: string | undefined,
    /** The emulator's own base URL, for the links in object resources. */
    private readonly origin: () => string,
    private readonly log: Logger,
  ) {}

  register(project: string, trigger: StorageTrigger): void {
    let triggers = this.byProject.get(project);
    if (!triggers) {
      triggers = new Map();
      this.byProject.set(project, triggers);
    }
    triggers.set(trigger.triggerId, trigger);
  }

  clear(project: string): void {
    this.byProject.delete(project);
  }

  /** Queues the event for every matching trigger; returns at once. `time` defaults to the object's update. */
  emit(eventType: StorageEventType, object: StoredObject, time = object.updated): void {
    if (!this.functionsHost) return;
    for (const [project, triggers] of this.byProject) {
      for (const t of triggers.values()) {
        if (t.eventType !== eventType || t.bucket !== object.bucket) continue;
        const url = `http://${this.functionsHost}/functions/projects/${encodeURIComponent(project)}/triggers/${encodeURIComponent(t.triggerId)}`;
        const body = JSON.stringify({
          specversion: "1.0",
          id: eventId(),
          type: eventType,
          source: `//storage.googleapis.com/projects/_/buckets/${object.bucket}`,
          subject: `objects/${object.name}`,
          // An extension attribute firebase-functions' StorageEvent exposes as `event.bucket`.
          bucket: object.bucket,
          time,
          datacontenttype: "application/json",
          data: gcsResource(object, this.origin()),
        });
        this.queue.add(url, () => this.send(url, body));
      }
    }
  }

  private async send(url: string, body: string): Promise<void> {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json; charset=utf-8" },
        body,
      });
      await res.arrayBuffer();
      if (!res.ok) this.log.warn(`storage trigger delivery to ${url} answered ${res.status}`);
    } catch (error) {
      this.log.warn(`storage trigger delivery to ${url} failed: ${(error as Error).message}`);
    }
  }

  /** Resolves once every event queued so far has been sent. */
  idle(): Promise<void> {
    return this.queue.idle();
  }
}
