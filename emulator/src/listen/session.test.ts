import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { OWNER } from "../auth/token.js";
import { FakeClock } from "../shared/clock.js";
import { Databases } from "../store/databases.js";
import { decodeListenRequest } from "../wire/listen.js";
import type { ListenResponse } from "./commands.js";
import { HEARTBEAT_MS, ListenSession } from "./session.js";

const database = "projects/p/databases/(default)";

function session() {
  const sent: ListenResponse[] = [];
  const ctx = { databases: new Databases(), clock: new FakeClock(), gate: () => null, principal: OWNER };
  return { sent, listen: new ListenSession(ctx, (m) => sent.push(m)) };
}

const isGlobal = (m: ListenResponse) =>
  "targetChange" in m &&
  m.targetChange.targetChangeType === "NO_CHANGE" &&
  m.targetChange.targetIds.length === 0 &&
  m.targetChange.readTime !== undefined;

describe("ListenSession heartbeat", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends a global snapshot every interval while targets are open, so idle clients do not reconnect", () => {
    const { sent, listen } = session();
    listen.handle(
      decodeListenRequest({
        database,
        addTarget: { targetId: 2, documents: { documents: [`${database}/documents/a/b`] } },
      }),
    );
    const before = sent.filter(isGlobal).length;
    vi.advanceTimersByTime(HEARTBEAT_MS * 2);
    expect(sent.filter(isGlobal).length).toBe(before + 2);
    listen.handle(decodeListenRequest({ database, removeTarget: 2 }));
    vi.advanceTimersByTime(HEARTBEAT_MS * 2);
    expect(sent.filter(isGlobal).length).toBe(before + 2);
    listen.close();
  });

  it("stops after close", () => {
    const { sent, listen } = session();
    listen.handle(
      decodeListenRequest({
        database,
        addTarget: { targetId: 2, documents: { documents: [`${database}/documents/a/b`] } },
      }),
    );
    listen.close();
    const count = sent.length;
    vi.advanceTimersByTime(HEARTBEAT_MS * 3);
    expect(sent.length).toBe(count);
  });
});
