import { describe, expect, it } from "vitest";
import { decodeValue as normalizeValue } from "../wire/value.js";
import { compareValues, kindOf, type Value, valuesEqual, valuesIdentical } from "./value.js";

const v = (raw: unknown): Value => normalizeValue(raw);

describe("compareValues", () => {
  it("orders types: null < bool < numbers < timestamps < strings < bytes < refs < geo < arrays < vectors < maps", () => {
    const ordered = [
      v({ nullValue: null }),
      v({ booleanValue: true }),
      v({ doubleValue: "NaN" }),
      v({ integerValue: "-5" }),
      v({ timestampValue: { seconds: 0, nanos: 0 } }),
      v({ stringValue: "" }),
      v({ bytesValue: Buffer.from([0]) }),
      v({ referenceValue: "projects/p/databases/(default)/documents/a/b" }),
      v({ geoPointValue: { latitude: 0, longitude: 0 } }),
      v({ arrayValue: {} }),
      v({ mapValue: { fields: { __type__: { stringValue: "__vector__" }, value: { arrayValue: {} } } } }),
      v({ mapValue: {} }),
    ];
    for (let i = 0; i + 1 < ordered.length; i++) expect(compareValues(ordered[i]!, ordered[i + 1]!)).toBe(-1);
    expect(kindOf(ordered[10]!)).toBe("vector");
  });

  it("compares integers and doubles exactly, beyond 2^53", () => {
    expect(compareValues(v({ integerValue: "9007199254740993" }), v({ doubleValue: 9007199254740992 }))).toBe(
      1,
    );
    expect(compareValues(v({ integerValue: "9223372036854775807" }), v({ doubleValue: 2 ** 63 }))).toBe(-1);
    expect(compareValues(v({ integerValue: "-1" }), v({ doubleValue: -1.0 }))).toBe(0);
    expect(compareValues(v({ doubleValue: "NaN" }), v({ doubleValue: "-Infinity" }))).toBe(-1);
  });

  it("compares strings by UTF-8 bytes, not UTF-16 units", () => {
    expect(compareValues(v({ stringValue: "\uff5e" }), v({ stringValue: "\u{1f600}" }))).toBe(-1);
    expect(compareValues(v({ stringValue: "a" }), v({ stringValue: "a\u0000" }))).toBe(-1);
  });

  it("orders numeric document ids first in references", () => {
    const ref = (id: string) => v({ referenceValue: `projects/p/databases/(default)/documents/c/${id}` });
    expect(compareValues(ref("__id10__"), ref("__id5__"))).toBe(1);
    expect(compareValues(ref("__id99__"), ref("A"))).toBe(-1);
  });

  it("orders vectors by length first, maps by sorted keys", () => {
    const vec = (...xs: number[]) =>
      v({
        mapValue: {
          fields: {
            __type__: { stringValue: "__vector__" },
            value: { arrayValue: { values: xs.map((x) => ({ doubleValue: x })) } },
          },
        },
      });
    expect(compareValues(vec(9), vec(0, 0))).toBe(-1);
    const map = (fields: Record<string, number>) =>
      v({
        mapValue: {
          fields: Object.fromEntries(
            Object.entries(fields).map(([k, n]) => [k, { integerValue: String(n) }]),
          ),
        },
      });
    expect(compareValues(map({ b: 0, a: 1 }), map({ a: 1, b: 0 }))).toBe(0);
    expect(compareValues(map({ a: 2 }), map({ b: 0 }))).toBe(-1);
  });
});

describe("equality and identity", () => {
  it("query equality treats 1 and 1.0, -0 and 0, NaN and NaN as equal; identity does not", () => {
    expect(valuesEqual(v({ integerValue: "1" }), v({ doubleValue: 1 }))).toBe(true);
    expect(valuesIdentical(v({ integerValue: "1" }), v({ doubleValue: 1 }))).toBe(false);
    expect(valuesEqual(v({ doubleValue: -0 }), v({ doubleValue: 0 }))).toBe(true);
    expect(valuesIdentical(v({ doubleValue: -0 }), v({ doubleValue: 0 }))).toBe(false);
    expect(valuesIdentical(v({ doubleValue: "NaN" }), v({ doubleValue: "NaN" }))).toBe(true);
  });
});

describe("normalizeValue", () => {
  it("truncates timestamps to microseconds and accepts RFC 3339 text", () => {
    expect(v({ timestampValue: { seconds: "5", nanos: 1_999 } })).toEqual({
      timestampValue: { seconds: 5, nanos: 1_000 },
    });
    expect(v({ timestampValue: "1970-01-01T09:00:00+09:00" })).toEqual({
      timestampValue: { seconds: 0, nanos: 0 },
    });
  });

  it("rejects nested arrays, out-of-range integers and reserved field names", () => {
    expect(() => v({ arrayValue: { values: [{ arrayValue: {} }] } })).toThrow(
      "Nested arrays are not allowed",
    );
    expect(() => v({ integerValue: "9223372036854775808" })).toThrow(/out of range/);
    expect(() => v({ mapValue: { fields: { __x__: { nullValue: null } } } })).toThrow(
      "field name __x__ is reserved",
    );
  });
});
