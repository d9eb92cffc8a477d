import { describe, expect, it } from "vitest";
import { parseSchedule } from "./schedule.js";

const at = (h: number, m: number, day = 15, month = 6) => new Date(Date.UTC(2026, month - 1, day, h, m));

describe("parseSchedule", () => {
  it("every N minutes fires on multiples of N", () => {
    const due = parseSchedule("every 5 minutes")!;
    expect(due(at(10, 0))).toBe(true);
    expect(due(at(10, 5))).toBe(true);
    expect(due(at(10, 7))).toBe(false);
  });

  it("every N hours fires on the hour", () => {
    const due = parseSchedule("every 2 hours")!;
    expect([0, 1, 2, 3].map((h) => due(at(h, 0)))).toEqual([true, false, true, false]);
    expect(due(at(2, 30))).toBe(false);
  });

  it("every day HH:MM fires once a day", () => {
    const due = parseSchedule("every day 03:15")!;
    expect(due(at(3, 15))).toBe(true);
    expect(due(at(3, 16))).toBe(false);
    expect(due(at(15, 15))).toBe(false);
  });

  it("unix cron with ranges, steps and lists", () => {
    const due = parseSchedule("*/15 9-17 * * 1-5")!;
    expect(due(new Date(Date.UTC(2026, 10, 20, 9, 30)))).toBe(true); // a Friday
    expect(due(new Date(Date.UTC(2026, 10, 21, 9, 30)))).toBe(false); // Saturday
    expect(due(new Date(Date.UTC(2026, 10, 20, 18, 0)))).toBe(false);
    expect(due(new Date(Date.UTC(2026, 10, 20, 9, 31)))).toBe(false);
    expect(parseSchedule("0 3 1,15 * *")!(new Date(Date.UTC(2026, 0, 15, 3, 0)))).toBe(true);
  });

  it("reads the wall clock in the function's time zone (UTC by default)", () => {
    const noonUtc = new Date(Date.UTC(2026, 0, 15, 12, 0));
    expect(parseSchedule("0 12 * * *")!(noonUtc)).toBe(true);
    expect(parseSchedule("0 12 * * *", "Etc/UTC")!(noonUtc)).toBe(true);
    expect(parseSchedule("0 12 * * *", "America/New_York")!(noonUtc)).toBe(false);
    expect(parseSchedule("0 7 * * *", "America/New_York")!(noonUtc)).toBe(true);
    expect(parseSchedule("0 12 * * *", "Not/AZone")).toBeUndefined();
  });

  it("rejects what it does not understand instead of guessing", () => {
    for (const bad of [
      "every 0 minutes",
      "every fortnight",
      "61 * * * *",
      "* * *",
      "5-1 * * * *",
      "*/0 * * * *",
    ]) {
      expect(parseSchedule(bad), bad).toBeUndefined();
    }
  });
});
