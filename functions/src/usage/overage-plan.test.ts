import { describe, expect, it } from "vitest";
import { nextOverageStep, overageTimestamp, periodBounds } from "./overage-plan.js";

describe("periodBounds and overageTimestamp", () => {
  it("a month in UTC, and its last second for the meter event", () => {
    expect(periodBounds("2026-02")).toEqual({
      start: new Date("2026-02-01T00:00:00Z"),
      end: new Date("2026-03-01T00:00:00Z"),
    });
    expect(periodBounds("2026-12").end).toEqual(new Date("2027-01-01T00:00:00Z"));
    expect(overageTimestamp("2026-02")).toEqual(new Date("2026-02-28T23:59:59Z"));
    expect(overageTimestamp("2028-02")).toEqual(new Date("2028-02-29T23:59:59Z"));
  });

  it("refuses what is not a period", () => {
    for (const bad of ["2026-13", "2026-2", "", "2026-02-01"])
      expect(() => periodBounds(bad)).toThrow(RangeError);
  });
});

describe("nextOverageStep", () => {
  const step = (overageCents: number, recordedCents: number) =>
    nextOverageStep({ orgId: "o1", period: "2026-02", overageCents, recordedCents });

  it("nothing recorded: send it all under the month's identifier", () => {
    expect(step(26, 0)).toEqual({ kind: "send", cents: 26, identifier: "ai-overage-o1-2026-02" });
  });

  it("already recorded (a crash lost Hearth's marker): send nothing", () => {
    expect(step(26, 26)).toEqual({ kind: "recorded", excessCents: 0 });
    expect(step(26, 30)).toEqual({ kind: "recorded", excessCents: 4 });
  });

  it("partly recorded: top up the difference under an identifier of its own", () => {
    expect(step(40, 26)).toEqual({ kind: "send", cents: 14, identifier: "ai-overage-o1-2026-02-to-40" });
  });

  it("bad amounts are refused", () => {
    expect(() => step(-1, 0)).toThrow(RangeError);
    expect(() => step(1.5, 0)).toThrow(RangeError);
  });
});
