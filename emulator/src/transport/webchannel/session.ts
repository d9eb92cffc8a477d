/**
 * One WebChannel session: the numbered outbox of server messages, the back channel that carries them
 * (streaming or long polling), acknowledgements, heartbeats and expiry. It knows nothing about Firestore:
 * a stream adapter feeds it encoded messages and receives the client's.
 *
 * - Server messages get array ids 1, 2, ... and stay in the outbox until the client acknowledges them
 *   (`AID` on any request), so a new back channel resends what the old one may have lost.
 * - Streaming back channel (`CI=0`): what is queued, or a `noop` at once (the SDK's buffering-proxy
 *   detection wants bytes quickly), then each message as it comes, a `noop` every heartbeat, and the
 *   response ends after `streamMaxMs` (the client opens another).
 * - Long polling (`CI=1`): what is queued ends the response at once; otherwise it waits for the next
 *   message, or answers a `noop` after `longPollMs`, before the client's watchdog gives up.
 * - With no back channel open and no request for `idleMs`, the session closes itself (a closed tab
 *   sends nothing), so nothing leaks.
 */
import { arraysFrame } from "./framing.js";

export interface WebChannelTimings {
  /** A `noop` on an open streaming back channel this often (the client's watchdog is 45 s). */
  heartbeatMs: number;
  /** A streaming back channel ends after this long; the client reconnects. */
  streamMaxMs: number;
  /** A long poll with nothing to say answers a `noop` after this long. */
  longPollMs: number;
  /** A session with no back channel and no request for this long is closed. */
  idleMs: number;
}

export const DEFAULT_TIMINGS: WebChannelTimings = {
  heartbeatMs: 25_000,
  streamMaxMs: 60_000,
  longPollMs: 25_000,
  idleMs: 60_000,
};

/** The back-channel half of an HTTP response: the session writes frames and ends it. */
export interface BackChannelSink {
  write(chunk: string): void;
  end(): void;
}

export type BackChannelMode = "streaming" | "long-polling";

interface Attached {
  sink: BackChannelSink;
  mode: BackChannelMode;
  /** The highest array id written to this back channel. */
  written: number;
  timers: NodeJS.Timeout[];
}

const NOOP = JSON.stringify("noop");

export class ChannelSession {
  private readonly outbox: Array<{ id: number; payload: string }> = [];
  private nextArrayId = 1;
  /** The next forward-channel map id to accept (earlier ids are retries already handled). */
  private nextMapId = 0;
  private back: Attached | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    readonly id: string,
    private readonly timings: WebChannelTimings,
    private readonly onClose: () => void,
  ) {
    this.armIdle();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get hasBackChannel(): boolean {
    return this.back !== null;
  }

  /** The last array id the server has produced. */
  get lastArrayId(): number {
    return this.nextArrayId - 1;
  }

  /** Queues one message (JSON text) for the client and sends it if a back channel is open. */
  send(payload: string): void {
    if (this.closed) return;
    this.outbox.push({ id: this.nextArrayId++, payload });
    this.flush();
  }

  /** Drops messages the client has received (`AID`). */
  acknowledge(arrayId: number): void {
    if (!Number.isFinite(arrayId)) return;
    const keep = this.outbox.findIndex((m) => m.id > arrayId);
    this.outbox.splice(0, keep < 0 ? this.outbox.length : keep);
  }

  /** Filters forward-channel messages to those not seen before (the client retries with the same ids). */
  acceptMaps<T extends { id: number }>(messages: readonly T[]): T[] {
    const fresh = messages.filter((m) => m.id >= this.nextMapId);
    for (const m of fresh) this.nextMapId = Math.max(this.nextMapId, m.id + 1);
    this.touch();
    return fresh;
  }

  /** A request arrived: the session is in use. */
  touch(): void {
    if (!this.back) this.armIdle();
  }

  /** Opens a back channel; a previous one is ended (the client only keeps one). */
  attach(sink: BackChannelSink, mode: BackChannelMode, acknowledged: number, longPollMs?: number): void {
    if (this.closed) {
      sink.end();
      return;
    }
    this.detach();
    this.acknowledge(acknowledged);
    this.clearIdle();
    const attached: Attached = { sink, mode, written: acknowledged, timers: [] };
    this.back = attached;
    if (mode === "streaming") {
      if (!this.hasUnsent()) this.send(NOOP);
      else this.flush();
      attached.timers.push(
        setInterval(() => this.send(NOOP), this.timings.heartbeatMs),
        setTimeout(() => this.detach(), this.timings.streamMaxMs),
      );
    } else if (this.hasUnsent()) {
      this.flush();
    } else {
      const wait = Math.min(longPollMs && longPollMs > 0 ? longPollMs : Infinity, this.timings.longPollMs);
      attached.timers.push(setTimeout(() => this.send(NOOP), wait));
    }
    for (const timer of attached.timers) timer.unref();
  }

  /** Ends the open back channel, if any (client gone, replaced, or its time is up). */
  detach(sink?: BackChannelSink): void {
    const back = this.back;
    if (!back || (sink && back.sink !== sink)) return;
    this.back = null;
    for (const timer of back.timers) clearTimeout(timer);
    back.sink.end();
    if (!this.closed) this.armIdle();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearIdle();
    this.detach();
    this.outbox.length = 0;
    this.onClose();
  }

  /** The messages after `written`; the outbox is in id order, so only its tail is looked at. */
  private unsentAfter(written: number): Array<{ id: number; payload: string }> {
    let from = this.outbox.length;
    while (from > 0 && this.outbox[from - 1]!.id > written) from--;
    return this.outbox.slice(from);
  }

  private hasUnsent(): boolean {
    const last = this.outbox[this.outbox.length - 1];
    return last !== undefined && last.id > (this.back?.written ?? 0);
  }

  private flush(): void {
    const back = this.back;
    if (!back) return;
    const unsent = this.unsentAfter(back.written);
    if (unsent.length === 0) return;
    back.written = unsent[unsent.length - 1]!.id;
    back.sink.write(arraysFrame(unsent));
    if (back.mode === "long-polling") this.detach();
  }

  private armIdle(): void {
    this.clearIdle();
    this.idleTimer = setTimeout(() => this.close(), this.timings.idleMs);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
