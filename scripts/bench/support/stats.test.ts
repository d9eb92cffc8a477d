import { describe, expect, it } from "vitest";
import { ms, spread, summarize } from "./stats.js";

describe("summarize", () => {
  it("gives nearest-rank quantiles of unsorted samples", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarize(samples)).toEqual({ n: 100, min: 1, median: 50, p95: 95, max: 100 });
  });

  it("takes the lower middle of an even count and the only sample of one", () => {
    expect(summarize([4, 1, 3, 2]).median).toBe(2);
    expect(summarize([7])).toEqual({ n: 1, min: 7, median: 7, p95: 7, max: 7 });
  });

  it("refuses no samples rather than printing NaN", () => {
    expect(() => summarize([])).toThrow(/No samples/);
  });
});

describe("spread", () => {
  it("prints p95 only with 20 samples or more", () => {
    expect(spread([1, 2, 3], ms)).toBe("2.00 ms (min 1.00 ms, max 3.00 ms, n=3)");
    expect(
      spread(
        Array.from({ length: 20 }, (_, i) => i + 1),
        ms,
      ),
    ).toBe("10.0 ms (min 1.00 ms, p95 19.0 ms, max 20.0 ms, n=20)");
  });
});
