import { describe, expect, it } from "vitest";
import { deleteField, formatFieldPath, getField, parseFieldPath, setField } from "./field-path.js";

describe("parseFieldPath", () => {
  it("reads simple and backquoted segments with escapes", () => {
    expect(parseFieldPath("a.b_1")).toEqual(["a", "b_1"]);
    expect(parseFieldPath("`odd.name`.x")).toEqual(["odd.name", "x"]);
    expect(parseFieldPath("`a\\`b`")).toEqual(["a`b"]);
    expect(formatFieldPath(["odd.name", "x"])).toBe("`odd.name`.x");
  });

  it("rejects empty segments, bad unquoted names and unterminated quotes", () => {
    for (const bad of ["", "a..b", ".a", "a.", "1a", "`open", "a-b"])
      expect(() => parseFieldPath(bad)).toThrow(/Invalid property path/);
  });
});

describe("copy-on-write updates", () => {
  it("sets, reads and deletes nested fields without touching the original", () => {
    const original = { m: { mapValue: { fields: { x: { integerValue: "1" } } } } };
    const updated = setField(original, ["m", "y"], { integerValue: "2" });
    expect(getField(updated, ["m", "y"])).toEqual({ integerValue: "2" });
    expect(getField(original, ["m", "y"])).toBeUndefined();
    const removed = deleteField(updated, ["m", "x"]);
    expect(getField(removed, ["m", "x"])).toBeUndefined();
    expect(getField(updated, ["m", "x"])).toEqual({ integerValue: "1" });
  });
});
