import { describe, expect, it } from "vitest";
import { CHECKOUT_REUSE_MS, reusableCheckout } from "./checkout-reuse.js";

describe("reusableCheckout", () => {
  const createdAt = new Date("2026-03-10T12:09:59Z"); // one second before a ten-minute clock boundary
  const stored = { sessionId: "cs_1", createdAt, fingerprint: "f1" };
  const after = (ms: number) => new Date(createdAt.getTime() + ms);

  it("the same request within ten minutes of the session's creation gets it back, across clock boundaries", () => {
    expect(reusableCheckout(stored, "f1", after(0))).toBe("cs_1");
    expect(reusableCheckout(stored, "f1", after(2_000))).toBe("cs_1");
    expect(reusableCheckout(stored, "f1", after(CHECKOUT_REUSE_MS - 1))).toBe("cs_1");
  });

  it("ten minutes or more later, another request, nothing stored, or a clock gone backwards: a new session", () => {
    expect(reusableCheckout(stored, "f1", after(CHECKOUT_REUSE_MS))).toBeNull();
    expect(reusableCheckout(stored, "f2", after(1_000))).toBeNull();
    expect(reusableCheckout(null, "f1", after(1_000))).toBeNull();
    expect(reusableCheckout(stored, "f1", after(-1_000))).toBeNull();
  });
});
