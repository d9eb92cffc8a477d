import { describe, expect, it } from "vitest";
import { eventMisfit, MAX_DOCUMENT_BYTES, measureJson } from "./event-fit.js";

describe("measureJson", () => {
  it("counts bytes and depth the way Firestore does", () => {
    expect(measureJson("ab")).toEqual({ bytes: 3, depth: 0 });
    expect(measureJson({ a: 1, b: [true, null], c: "é" })).toEqual({
      bytes: 2 + 8 + 2 + 1 + 1 + 2 + 3,
      depth: 2,
    });
  });

  it("measures a value nested 100,000 levels deep without overflowing the stack", () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(measureJson(value).depth).toBe(100_000);
  });
});

describe("eventMisfit", () => {
  it("names the limit an event breaks, if any", () => {
    expect(eventMisfit({ bytes: 10_000, depth: 8 })).toBeNull();
    expect(eventMisfit({ bytes: 10_000, depth: 20 })).toBe("too-deep");
    expect(eventMisfit({ bytes: MAX_DOCUMENT_BYTES, depth: 8 })).toBe("too-large");
    expect(eventMisfit({ bytes: MAX_DOCUMENT_BYTES * 2, depth: 30 })).toBe("too-deep");
  });
});
