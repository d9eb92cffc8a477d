/**
 * Trigger registrations from the Functions emulator, normalized to: which project and database, which
 * document pattern, which kinds of change, and how to deliver (legacy v1 JSON or v2 CloudEvent).
 */
import type { TriggerRegistration } from "../transport/http/api.js";

export type ChangeKind = "created" | "updated" | "deleted";

export interface Trigger {
  key: string;
  project: string;
  database: string;
  pattern: string;
  kinds: ReadonlySet<ChangeKind>;
  /** The event type to report (v2 CloudEvent type or v1 event type). */
  eventType: string;
  protocol: "v1" | "v2";
  withAuthContext: boolean;
}

const V2_KINDS: Record<string, ChangeKind[]> = {
  created: ["created"],
  updated: ["updated"],
  deleted: ["deleted"],
  written: ["created", "updated", "deleted"],
};

const V1_KINDS: Record<string, ChangeKind[]> = {
  create: ["created"],
  update: ["updated"],
  delete: ["deleted"],
  write: ["created", "updated", "deleted"],
};

function fromV2(
  project: string,
  key: string,
  r: Extract<TriggerRegistration, { kind: "v2" }>,
): Trigger | null {
  const m =
    /^google\.cloud\.firestore\.document\.v1\.(created|updated|deleted|written)(\.withAuthContext)?$/.exec(
      r.eventType,
    );
  if (!m) return null;
  return {
    key,
    project,
    database: r.database,
    pattern: r.document,
    kinds: new Set(V2_KINDS[m[1]!]),
    eventType: r.eventType,
    protocol: "v2",
    withAuthContext: Boolean(m[2]),
  };
}

function fromV1(
  project: string,
  key: string,
  r: Extract<TriggerRegistration, { kind: "v1" }>,
): Trigger | null {
  const m = /^providers\/cloud\.firestore\/eventTypes\/document\.(create|update|delete|write)$/.exec(
    r.eventType,
  );
  const res = /^projects\/[^/]+\/databases\/([^/]+)\/documents\/(.+)$/.exec(r.resource);
  if (!m || !res) return null;
  return {
    key,
    project,
    database: res[1]!,
    pattern: res[2]!,
    kinds: new Set(V1_KINDS[m[1]!]),
    eventType: r.eventType,
    protocol: "v1",
    withAuthContext: false,
  };
}

export class TriggerRegistry {
  private readonly triggers = new Map<string, Trigger>();

  /** Returns false when the registration is not a Firestore document trigger we understand. */
  register(project: string, key: string, registration: TriggerRegistration): boolean {
    const trigger =
      registration.kind === "v2" ? fromV2(project, key, registration) : fromV1(project, key, registration);
    if (!trigger) return false;
    this.triggers.set(`${project}/${key}`, trigger);
    return true;
  }

  forDatabase(project: string, database: string): Trigger[] {
    return [...this.triggers.values()].filter((t) => t.project === project && t.database === database);
  }
}
