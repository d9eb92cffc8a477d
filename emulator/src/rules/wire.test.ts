import { describe, expect, it } from "vitest";
import type { WireValue } from "../shared/security.js";
import { evalExpr } from "./testing.js";
import { equals } from "./types/equals.js";
import { typeName } from "./types/value.js";
import { documentResource, fromJs, fromWire, referenceSegments } from "./wire.js";

describe("wire: google.firestore.v1.Value → rules values", () => {
  it.each([
    [{ nullValue: "NULL_VALUE" }, "null"],
    [{ nullValue: 0 }, "null"],
    [{ booleanValue: true }, "true"],
    [{ integerValue: "9007199254740993" }, "9007199254740993"],
    [{ integerValue: 7 }, "7"],
    [{ doubleValue: 1.5 }, "1.5"],
    [{ doubleValue: 2 }, "2.0"],
    [{ stringValue: "é" }, "'é'"],
    [{ bytesValue: Uint8Array.of(1, 2) }, "b'\\x01\\x02'"],
    [{ timestampValue: { seconds: "1", nanos: 5_000_000 } }, "timestamp.value(1005)"],
    [
      { referenceValue: "projects/p/databases/(default)/documents/a/b" },
      "/databases/(default)/documents/a/b",
    ],
    [{ geoPointValue: { latitude: 1, longitude: 2 } }, "latlng.value(1, 2)"],
    [{ arrayValue: { values: [{ integerValue: "1" }, { stringValue: "x" }] } }, "[1, 'x']"],
    [{ arrayValue: {} }, "[]"],
    [{ mapValue: { fields: { a: { booleanValue: false } } } }, "{'a': false}"],
    [{ mapValue: {} }, "{}"],
  ] as [WireValue, string][])("%j", (wire, expr) => {
    const got = fromWire(wire);
    const want = evalExpr(expr);
    expect(typeName(got)).toBe(typeName(want as never));
    expect(equals(got, want as never)).toBe(true);
  });

  it("reads only the field a valueType discriminator names", () => {
    const decoded = {
      valueType: "integerValue",
      stringValue: "",
      integerValue: "5",
      booleanValue: false,
    } as unknown as WireValue;
    expect(fromWire(decoded)).toBe(5n);
  });

  it("base64 bytes (JSON-decoded requests) become bytes", () => {
    expect(fromWire({ bytesValue: "AQI=" } as unknown as WireValue)).toEqual({
      type: "bytes",
      value: Uint8Array.of(1, 2),
    });
  });

  it("document names lose their project prefix", () => {
    expect(referenceSegments("projects/p/databases/d/documents/x/y")).toEqual([
      "databases",
      "d",
      "documents",
      "x",
      "y",
    ]);
  });

  it("documents become resource maps with __name__, id and data", () => {
    const r = documentResource(
      {
        path: "a/b",
        fields: { n: { integerValue: "1" } },
        createTime: { seconds: 0, nanos: 0 },
        updateTime: { seconds: 0, nanos: 0 },
      },
      "(default)",
    );
    expect(
      equals(
        r,
        evalExpr("{'__name__': /databases/(default)/documents/a/b, 'id': 'b', 'data': {'n': 1}}") as never,
      ),
    ).toBe(true);
  });

  it("plain JS (token claims): integral numbers are ints, others floats, Dates timestamps", () => {
    const v = fromJs({ n: 1, f: 1.5, d: new Date(1000), l: [true, null], u: undefined });
    expect(
      equals(v, evalExpr("{'n': 1, 'f': 1.5, 'd': timestamp.value(1000), 'l': [true, null]}") as never),
    ).toBe(true);
  });
});
