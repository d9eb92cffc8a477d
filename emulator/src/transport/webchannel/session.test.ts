import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseForwardBody } from "./framing.js";
import { ChannelSession, type WebChannelTimings } from "./session.js";

const TIMINGS: WebChannelTimings = {
  heartbeatMs: 1_000,
  streamMaxMs: 5_000,
  longPollMs: 2_000,
  idleMs: 10_000,
};

/** A frame as the client reads it: length in UTF-16 code units, newline, JSON. */
const f = (json: string) => `${json.length}\n${json}`;

function sink() {
  const chunks: string[] = [];
  let ended = 0;
  return {
    chunks,
    ended: () => ended,
    write: (chunk: string) => chunks.push(chunk),
    end: () => {
      ended += 1;
    },
  };
}

function session() {
  const closed = { count: 0 };
  return { closed, s: new ChannelSession("sid", TIMINGS, () => closed.count++) };
}

describe("ChannelSession", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("streaming: sends a noop at once when idle, a noop every heartbeat, and ends after streamMaxMs", () => {
    const { s } = session();
    const back = sink();
    s.attach(back, "streaming", 0);
    expect(back.chunks).toEqual([f('[[1,["noop"]]]')]);
    s.send('{"a":1}');
    expect(back.chunks[1]).toBe(f('[[2,[{"a":1}]]]'));
    vi.advanceTimersByTime(TIMINGS.heartbeatMs * 2);
    expect(back.chunks).toHaveLength(4);
    expect(back.ended()).toBe(0);
    vi.advanceTimersByTime(TIMINGS.streamMaxMs);
    expect(back.ended()).toBe(1);
    s.close();
  });

  it("long polling: ends with the queued messages, or waits and answers a noop after longPollMs", () => {
    const { s } = session();
    s.send('"x"');
    const first = sink();
    s.attach(first, "long-polling", 0);
    expect(first.chunks).toEqual([f('[[1,["x"]]]')]);
    expect(first.ended()).toBe(1);
    const second = sink();
    s.attach(second, "long-polling", 1);
    expect(second.chunks).toEqual([]);
    vi.advanceTimersByTime(TIMINGS.longPollMs);
    expect(second.chunks).toEqual([f('[[2,["noop"]]]')]);
    expect(second.ended()).toBe(1);
    s.close();
  });

  it("a long poll's TO (ms) shortens the wait", () => {
    const { s } = session();
    const back = sink();
    s.attach(back, "long-polling", 0, 500);
    vi.advanceTimersByTime(499);
    expect(back.ended()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(back.ended()).toBe(1);
    s.close();
  });

  it("unacknowledged messages are resent on the next back channel; acknowledged ones are not", () => {
    const { s } = session();
    s.send("1");
    s.send("2");
    s.send("3");
    const back = sink();
    s.attach(back, "long-polling", 1);
    expect(back.chunks).toEqual([f("[[2,[2]],[3,[3]]]")]);
    const again = sink();
    s.attach(again, "long-polling", 2);
    expect(again.chunks).toEqual([f("[[3,[3]]]")]);
    s.close();
  });

  it("expires after idleMs without a back channel, and not while one is open", () => {
    let closed = 0;
    const s = new ChannelSession("sid", { ...TIMINGS, idleMs: 1_000 }, () => closed++);
    const back = sink();
    s.attach(back, "streaming", 0);
    vi.advanceTimersByTime(TIMINGS.streamMaxMs - 1);
    expect(closed).toBe(0);
    s.detach(back);
    vi.advanceTimersByTime(999);
    expect(closed).toBe(0);
    vi.advanceTimersByTime(1);
    expect(closed).toBe(1);
    expect(s.isClosed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("close ends the back channel and leaves no timers", () => {
    const { s, closed } = session();
    const back = sink();
    s.attach(back, "streaming", 0);
    s.close();
    s.close();
    expect(back.ended()).toBe(1);
    expect(closed.count).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("forward-channel retries: map ids seen before are dropped", () => {
    const { s } = session();
    const body = parseForwardBody("count=2&ofs=0&req0___data__=%7B%7D&req1___data__=%5B%5D");
    expect(s.acceptMaps(body.messages).map((m) => m.json)).toEqual(["{}", "[]"]);
    expect(s.acceptMaps(body.messages)).toEqual([]);
    const next = parseForwardBody("count=1&ofs=1&req0___data__=1&req1___data__=2");
    expect(s.acceptMaps(next.messages).map((m) => m.json)).toEqual(["2"]);
    s.close();
  });
});

describe("parseForwardBody", () => {
  it("reads the handshake's header block (CRLF lines) and numbers messages from ofs", () => {
    const headers = encodeURIComponent("X-Goog-Api-Client:gl-js/ fire/12\r\nAuthorization:Bearer a.b.\r\n");
    const body = parseForwardBody(`headers=${headers}&count=1&ofs=7&req0___data__=%7B%22a%22%3A1%7D`);
    expect(body.headers).toEqual({ "x-goog-api-client": "gl-js/ fire/12", authorization: "Bearer a.b." });
    expect(body.messages).toEqual([{ id: 7, json: '{"a":1}' }]);
  });
});
