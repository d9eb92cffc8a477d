/**
 * Runs inside the page (bundled by esbuild, no DOM types needed): publishes a page's steps on
 * `globalThis.hearth` for tests to call through `page.evaluate`, turns a rejected step into a plain
 * `{ code, message }` the Node side rethrows, and records listener events for tests to poll.
 */

/** What a step sends back across `page.evaluate`: only structured-cloneable data. */
export type StepResult =
  | { ok: true; value: unknown }
  | { ok: false; error: { code?: string; message: string } };

export type Steps = Record<string, (...args: never[]) => unknown>;

export interface PageGlobal {
  hearth?: { ready: true; run(name: string, args: unknown[]): Promise<StepResult> };
}

/** Makes `steps` callable from tests; `hearth.ready` tells the harness the page module has run. */
export function expose(steps: Steps): void {
  const run = async (name: string, args: unknown[]): Promise<StepResult> => {
    const step = steps[name] as ((...a: unknown[]) => unknown) | undefined;
    if (!step) return { ok: false, error: { message: `No step named ${name} on this page.` } };
    try {
      return { ok: true, value: await step(...args) };
    } catch (error) {
      const e = error as { code?: unknown; message?: unknown };
      return {
        ok: false,
        error: {
          ...(typeof e.code === "string" ? { code: e.code } : {}),
          message: typeof e.message === "string" ? e.message : String(error),
        },
      };
    }
  };
  (globalThis as PageGlobal).hearth = { ready: true, run };
}

/** One event a listener delivered, as plain data. */
export type ListenEvent =
  | {
      kind: "snapshot";
      docs: { id: string; data: Record<string, unknown> | null }[];
      changes?: { type: string; id: string }[];
      fromCache: boolean;
      hasPendingWrites: boolean;
    }
  | { kind: "error"; code: string; message: string };

/** The parts of a web SDK snapshot an event keeps; structural, so this runtime imports no SDK. */
interface SnapshotMetadata {
  metadata: { fromCache: boolean; hasPendingWrites: boolean };
}
interface DocumentSnapshotLike extends SnapshotMetadata {
  id: string;
  exists(): boolean;
  data(): unknown;
}
interface QuerySnapshotLike extends SnapshotMetadata {
  docs: { id: string; data(): unknown }[];
  docChanges(): { type: string; doc: { id: string } }[];
}

/** A document snapshot as a listener event. */
export function documentEvent(snap: DocumentSnapshotLike): ListenEvent {
  return {
    kind: "snapshot",
    docs: [{ id: snap.id, data: snap.exists() ? (plain(snap.data()) as Record<string, unknown>) : null }],
    fromCache: snap.metadata.fromCache,
    hasPendingWrites: snap.metadata.hasPendingWrites,
  };
}

/** A query snapshot as a listener event, with its document changes. */
export function queryEvent(snap: QuerySnapshotLike): ListenEvent {
  return {
    kind: "snapshot",
    docs: snap.docs.map((d) => ({ id: d.id, data: plain(d.data()) as Record<string, unknown> })),
    changes: snap.docChanges().map((c) => ({ type: c.type, id: c.doc.id })),
    fromCache: snap.metadata.fromCache,
    hasPendingWrites: snap.metadata.hasPendingWrites,
  };
}

const events = new Map<string, ListenEvent[]>();
const unsubscribes = new Map<string, () => void>();

/** Records what a listener delivers under `id`; `subscribe` returns the SDK's unsubscribe function. */
export function record(
  id: string,
  subscribe: (next: (event: ListenEvent) => void, fail: (error: unknown) => void) => () => void,
): void {
  if (unsubscribes.has(id)) throw new Error(`A listener named ${id} already exists.`);
  const list: ListenEvent[] = [];
  events.set(id, list);
  unsubscribes.set(
    id,
    subscribe(
      (event) => list.push(event),
      (error) => {
        const e = error as { code?: unknown; message?: unknown };
        list.push({ kind: "error", code: String(e.code), message: String(e.message) });
      },
    ),
  );
}

/** Events `id` has recorded so far. */
export function eventsOf(id: string): ListenEvent[] {
  const list = events.get(id);
  if (!list) throw new Error(`No listener named ${id}.`);
  return list;
}

export function stopListener(id: string): void {
  unsubscribes.get(id)?.();
  unsubscribes.delete(id);
}

/** Firestore values as plain data: Timestamps become `{ timestampMillis }`, nested maps and arrays kept. */
export function plain(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(plain);
  const v = value as { toMillis?: () => number };
  if (typeof v.toMillis === "function") return { timestampMillis: v.toMillis() };
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(value)) out[k] = plain(x);
  return out;
}
