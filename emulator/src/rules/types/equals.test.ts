import { describe, expect, it } from "vitest";
import { compare, compareStrings } from "./compare.js";
import { equals } from "./equals.js";
import type { RulesPartial, RulesValue } from "./value.js";

const partial: RulesPartial = {
  type: "partial",
  prefix: [],
  pinned: new Map(),
  contains: new Map(),
  present: new Set(),
  what: "resource",
};
const set = (...items: RulesValue[]): RulesValue => ({ type: "set", items });

describe("equals", () => {
  it.each([
    [1n, 1, true],
    [1n, 1.5, false],
    [0, -0, true],
    [Number.NaN, Number.NaN, false],
    ["a", "a", true],
    [null, false, false],
    [[1n, [2n]], [1, [2]], true],
    [set(1n, 2n), set(2n, 1n), true],
    [set(1n), set(1n, 2n), false],
    [{ type: "path", segments: ["a"] }, { type: "path", segments: ["a"] }, true],
    [{ type: "timestamp", nanos: 5n }, { type: "duration", nanos: 5n }, false],
    [partial, null, false],
    [partial, 1n, "unknown"],
    [[partial], [1n], "unknown"],
    [[partial, 1n], [2n, 2n], false],
  ] as [RulesValue, RulesValue, boolean | "unknown"][])("equals case %#", (a, b, expected) => {
    expect(equals(a, b)).toBe(expected);
    expect(equals(b, a)).toBe(expected);
  });
});

describe("compare", () => {
  it.each([
    [1n, 2, -1],
    [2.5, 2n, 1],
    [Number.NaN, 1, null],
    ["b", "a", 1],
    [true, false, 1],
    [[1n, 2n], [1n, 3n], -1],
    [[1n], [1n, 0n], -1],
    [{ type: "timestamp", nanos: 1n }, { type: "timestamp", nanos: 1n }, 0],
    ["a", 1n, undefined],
    [null, null, undefined],
  ] as [RulesValue, RulesValue, number | null | undefined][])("compare case %#", (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
  });

  it("orders strings by code point, as UTF-8 bytes do", () => {
    expect(compareStrings("\uffff", "\u{10000}")).toBe(-1);
    expect("\uffff" < "\u{10000}").toBe(false);
  });
});
