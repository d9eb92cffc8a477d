import { describe, expect, it } from "vitest";
import { decodeFields, decodeValue, MAX_DEPTH } from "./value.js";

describe("decodeValue", () => {
  it("reads proto-loader values and Proto3 JSON into the same canonical value", () => {
    expect(decodeValue({ valueType: "integerValue", integerValue: "12" })).toEqual(
      decodeValue({ integerValue: 12 }),
    );
    expect(decodeValue({ timestampValue: { seconds: "1", nanos: 1_500 } })).toEqual(
      decodeValue({ timestampValue: "1970-01-01T00:00:01.0000015Z" }),
    );
    expect(decodeValue({ bytesValue: Buffer.from("hi") })).toEqual(decodeValue({ bytesValue: "aGk=" }));
    expect(decodeValue({ doubleValue: "NaN" })).toEqual({ doubleValue: Number.NaN });
  });

  it.each([
    ["a value that is not an object", "x", /Invalid value for property value/],
    ["a value with no kind", {}, /Property value has no value/],
    ["an integer out of int64", { integerValue: "9223372036854775808" }, /out of range/],
    ["an integer that is not one", { integerValue: "1.5" }, /Invalid integer value/],
    [
      "a timestamp out of range",
      { timestampValue: { seconds: 253_402_300_800 } },
      /Timestamp value .* out of range/,
    ],
    ["a malformed timestamp", { timestampValue: "yesterday" }, /Invalid timestamp "yesterday"/],
    ["a geo point out of range", { geoPointValue: { latitude: 91 } }, /Geo point value .* out of range/],
    ["a nested array", { arrayValue: { values: [{ arrayValue: {} }] } }, /Nested arrays are not allowed/],
    ["array values that are not a list", { arrayValue: { values: {} } }, /Property value must be a list/],
    ["a reference that is no document", { referenceValue: "projects/p" }, /Invalid resource name/],
  ])("refuses %s with INVALID_ARGUMENT", (_name, raw, text) => {
    expect(() => decodeValue(raw)).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringMatching(text) }),
    );
  });
});

describe("decodeFields", () => {
  it("refuses reserved names, too much nesting and fields that are not a map", () => {
    expect(() => decodeFields({ __x__: { nullValue: null } })).toThrow(/field name __x__ is reserved/);
    let deep: unknown = { nullValue: null };
    for (let i = 0; i < MAX_DEPTH; i++) deep = { mapValue: { fields: { m: deep } } };
    expect(() => decodeFields({ m: deep })).toThrow(/exceeds the maximum nesting depth/);
    expect(() => decodeFields([1])).toThrow(/must be a map/);
    expect(decodeFields(undefined)).toEqual({});
  });
});
