/**
 * A WebChannel client over fetch that sends what the web SDK's closure client sends (handshake with the
 * first messages and a `headers` block, form-encoded forward channel, streaming or long-polling back
 * channel, terminate), for driving the emulator's WebChannel transport without a browser.
 */
type Json = Record<string, unknown>;

export interface ChannelOptions {
  /** `Authorization` value, sent in the handshake body as the SDK does. */
  authorization?: string;
  origin?: string;
}

/** Splits `<length>\n<json>` frames; returns the parsed frames and the unparsed rest. */
export function parseFrames(text: string): { frames: unknown[]; rest: string } {
  const frames: unknown[] = [];
  let at = 0;
  for (;;) {
    const nl = text.indexOf("\n", at);
    if (nl < 0) break;
    const length = Number(text.slice(at, nl));
    if (!Number.isFinite(length) || nl + 1 + length > text.length) break;
    frames.push(JSON.parse(text.slice(nl + 1, nl + 1 + length)));
    at = nl + 1 + length;
  }
  return { frames, rest: text.slice(at) };
}

export class ChannelClient {
  sid = "";
  /** Messages received on back channels, noops included, in order. */
  readonly received: unknown[] = [];
  /** The last array id received (the `AID` the next request carries). */
  lastArrayId = 0;
  private nextMapId = 0;
  private rid = 1000;
  private waiters: Array<() => void> = [];
  private streaming: AbortController | null = null;

  constructor(
    private readonly baseUrl: string,
    readonly stream: string,
    readonly database: string,
    private readonly options: ChannelOptions = {},
  ) {}

  private url(params: Record<string, string>): string {
    const q = new URLSearchParams({ VER: "8", database: this.database, ...params, zx: "x", t: "1" });
    return `${this.baseUrl}/google.firestore.v1.Firestore/${this.stream}/channel?${q}`;
  }

  private body(messages: unknown[], headers?: string): string {
    const form = new URLSearchParams();
    if (headers) form.set("headers", headers);
    form.set("count", String(messages.length));
    form.set("ofs", String(this.nextMapId));
    for (const [i, m] of messages.entries()) form.set(`req${i}___data__`, JSON.stringify(m));
    this.nextMapId += messages.length;
    return form.toString();
  }

  private headers(): Record<string, string> {
    return {
      "content-type": "application/x-www-form-urlencoded",
      ...(this.options.origin ? { origin: this.options.origin } : {}),
    };
  }

  /** The handshake, carrying the first messages; returns the raw answer. */
  async open(first: unknown[]): Promise<Response> {
    let block = "X-Goog-Api-Client:gl-js/ fire/12.0.0\r\nContent-Type:text/plain\r\n";
    if (this.options.authorization) block += `Authorization:${this.options.authorization}\r\n`;
    const res = await fetch(this.url({ RID: String(this.rid++), CVER: "22" }), {
      method: "POST",
      headers: this.headers(),
      body: this.body(first, block),
    });
    const text = await res.clone().text();
    const [arrays] = parseFrames(text).frames as [[number, [string, string, string, number]][]];
    this.sid = arrays[0]![1][1];
    return res;
  }

  /** A forward-channel request; returns the parsed `[backChannelOpen, lastArrayId, outstanding]`. */
  async send(...messages: unknown[]): Promise<number[]> {
    const res = await this.forward(this.body(messages));
    return parseFrames(await res.text()).frames[0] as number[];
  }

  /** Sends a raw forward body (to test retries with an old `ofs`). */
  forward(body: string): Promise<Response> {
    return fetch(this.url({ SID: this.sid, RID: String(this.rid++), AID: String(this.lastArrayId) }), {
      method: "POST",
      headers: this.headers(),
      body,
    });
  }

  /** Rewinds the map ids, as a client re-sending a failed forward request does. */
  rewind(count: number): void {
    this.nextMapId -= count;
  }

  private take(frames: unknown[]): void {
    for (const frame of frames) {
      for (const [id, [message]] of frame as [number, [unknown]][]) {
        if (id <= this.lastArrayId) continue;
        this.lastArrayId = id;
        this.received.push(message);
      }
    }
    for (const w of this.waiters.splice(0)) w();
  }

  /** Opens a streaming back channel (`CI=0`) that feeds `received` until closed. */
  async openStreaming(): Promise<Response> {
    this.streaming = new AbortController();
    const res = await fetch(
      this.url({ RID: "rpc", SID: this.sid, AID: String(this.lastArrayId), CI: "0", TYPE: "xmlhttp" }),
      { headers: this.options.origin ? { origin: this.options.origin } : {}, signal: this.streaming.signal },
    );
    if (res.ok && res.body) {
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      void (async () => {
        let buffer = "";
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const { frames, rest } = parseFrames(buffer + value);
            buffer = rest;
            this.take(frames);
          }
        } catch {
          // aborted by closeStreaming()
        }
      })();
    }
    return res;
  }

  closeStreaming(): void {
    this.streaming?.abort();
    this.streaming = null;
  }

  /** One long poll (`CI=1`): resolves with the answer's status and messages once the server ends it. */
  async longPoll(): Promise<{ status: number; messages: unknown[] }> {
    const res = await fetch(
      this.url({ RID: "rpc", SID: this.sid, AID: String(this.lastArrayId), CI: "1", TYPE: "xmlhttp" }),
    );
    const before = this.received.length;
    const text = await res.text();
    if (res.ok) this.take(parseFrames(text).frames);
    return { status: res.status, messages: this.received.slice(before) };
  }

  /** Resolves once `predicate` holds for the messages received so far. */
  until(predicate: (received: unknown[]) => boolean): Promise<unknown[]> {
    return new Promise((resolve) => {
      const check = () => (predicate(this.received) ? resolve(this.received) : this.waiters.push(check));
      check();
    });
  }

  /** Messages other than noops. */
  data(): Json[] {
    return this.received.filter((m): m is Json => typeof m === "object" && m !== null);
  }

  async terminate(): Promise<Response> {
    this.closeStreaming();
    return fetch(this.url({ SID: this.sid, RID: String(this.rid++), TYPE: "terminate" }), {
      method: "POST",
      body: "",
    });
  }
}
