import { describe, expect, it } from "vitest";
import { takeToken } from "./token-bucket.js";

describe("takeToken", () => {
  it("allows a burst of exactly the per-minute limit, then refuses", () => {
    let bucket: Parameters<typeof takeToken>[0];
    for (let i = 0; i < 5; i++) {
      const take = takeToken(bucket, 1_000, 5);
      expect(take.allowed).toBe(true);
      if (take.allowed) bucket = take.next;
    }
    const refused = takeToken(bucket, 1_000, 5);
    expect(refused).toEqual({ allowed: false, retryAfterMs: 12_000 });
  });

  it("refills evenly: one token per 60/limit seconds, never above the limit", () => {
    const empty = { tokens: 0, updatedAtMs: 0 };
    expect(takeToken(empty, 11_999, 5).allowed).toBe(false);
    expect(takeToken(empty, 12_000, 5)).toEqual({ allowed: true, next: { tokens: 0, updatedAtMs: 12_000 } });
    const later = takeToken(empty, 10 * 60_000, 5);
    expect(later.allowed && later.next.tokens).toBe(4);
  });

  it("retry-after counts down as the bucket refills", () => {
    const refused = takeToken({ tokens: 0.5, updatedAtMs: 0 }, 0, 60);
    expect(refused).toEqual({ allowed: false, retryAfterMs: 500 });
  });

  it("a clock that went backwards refills nothing", () => {
    expect(takeToken({ tokens: 0, updatedAtMs: 5_000 }, 1_000, 5).allowed).toBe(false);
  });
});
