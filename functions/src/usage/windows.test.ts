import { describe, expect, it } from "vitest";
import { DAY_MS, HOUR_MS, takeFromWindows } from "./windows.js";

const limits = { perHour: 2, perDay: 3 };
const t0 = Date.UTC(2026, 11, 3, 12);

describe("takeFromWindows", () => {
  it("takes events up to the hourly limit, then refuses until the oldest leaves the hour", () => {
    let log: number[] = [];
    for (const at of [t0, t0 + 1000]) {
      const take = takeFromWindows(log, at, limits);
      expect(take.ok).toBe(true);
      if (take.ok) log = take.log;
    }
    expect(takeFromWindows(log, t0 + 2000, limits)).toEqual({
      ok: false,
      window: "hour",
      limit: 2,
      retryAfterSeconds: HOUR_MS / 1000 - 2,
    });
    expect(takeFromWindows(log, t0 + HOUR_MS + 1, limits).ok).toBe(true);
  });

  it("the daily limit holds across hours", () => {
    const log = [t0, t0 + HOUR_MS, t0 + 2 * HOUR_MS];
    const take = takeFromWindows(log, t0 + 5 * HOUR_MS, limits);
    expect(take).toMatchObject({ ok: false, window: "day", limit: 3 });
    expect(takeFromWindows(log, t0 + DAY_MS + 1, limits).ok).toBe(true);
  });

  it("drops entries older than a day, from the future, or not numbers", () => {
    const take = takeFromWindows([t0 - DAY_MS, t0 + 5, "x", null, t0 - 10], t0, limits);
    expect(take).toEqual({ ok: true, log: [t0 - 10, t0] });
  });

  it("a limit of zero refuses at once", () => {
    expect(takeFromWindows([], t0, { perHour: 0, perDay: 5 })).toMatchObject({ ok: false, window: "hour" });
  });
});
