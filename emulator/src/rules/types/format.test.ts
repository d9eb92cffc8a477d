import { describe, expect, it } from "vitest";
import { evalExpr } from "../testing.js";
import { formatValue } from "./format.js";
import { isError } from "./value.js";

describe("formatValue", () => {
  it.each([
    ["null", "null"],
    ["true", "true"],
    ["42", "42"],
    ["2.0", "2.0"],
    ["2.5", "2.5"],
    ["'it\\'s'", "'it\\'s'"],
    ["[1, 'a']", "[1, 'a']"],
    ["{'k': [true]}", "{'k': [true]}"],
    ["[1, 1].toSet()", "set([1])"],
    ["/a/b", "/a/b"],
    ["b'\\x01\\xff'", "b'\\x01\\xff'"],
    ["timestamp.value(0)", "timestamp(1970-01-01T00:00:00.000Z)"],
    ["duration.value(2, 's')", "duration(2000000000ns)"],
    ["latlng.value(1, 2)", "latlng(1, 2)"],
  ])("%s → %s", (expr, text) => {
    const v = evalExpr(expr);
    if (isError(v)) throw new Error(v.message);
    expect(formatValue(v)).toBe(text);
  });
});
