import { describe, expect, it } from "vitest";
import {
  type Fields,
  fieldsToJson,
  parseDocumentJson,
  ValueError,
} from "../../scripts/stack/console/values.js";

const ROOT = "projects/p/databases/(default)/documents/";

describe("document JSON in the console editor", () => {
  it("round-trips every Firestore type through the text shown", () => {
    const fields: Fields = {
      n: { nullValue: null },
      b: { booleanValue: true },
      i: { integerValue: "42" },
      big: { integerValue: "9007199254740993" },
      d: { doubleValue: 0.25 },
      whole: { doubleValue: 3 },
      s: { stringValue: "$timestamp" },
      t: { timestampValue: "2026-01-02T03:04:05.000Z" },
      r: { referenceValue: `${ROOT}orgs/a` },
      g: { geoPointValue: { latitude: 1.5, longitude: -2 } },
      y: { bytesValue: "aGk=" },
      a: { arrayValue: { values: [{ integerValue: "1" }, { stringValue: "x" }] } },
      m: { mapValue: { fields: { inner: { booleanValue: false } } } },
    };
    const shown = JSON.stringify(fieldsToJson(fields, ROOT), null, 2);
    expect(JSON.parse(shown)).toMatchObject({
      i: 42,
      big: { $int: "9007199254740993" },
      whole: { $double: 3 },
    });
    expect(parseDocumentJson(shown, ROOT)).toEqual(fields);
  });

  it("says what is wrong with bad input", () => {
    const bad = (text: string) => () => parseDocumentJson(text, ROOT);
    expect(bad("[1]")).toThrow(new ValueError("a document is a JSON object of fields"));
    expect(bad("{")).toThrow(/^not JSON/);
    expect(bad('{"at": {"$timestamp": "yesterday"}}')).toThrow("at: $timestamp needs an ISO date string");
    expect(bad('{"m": {"r": {"$ref": "orgs"}}}')).toThrow("m.r: $ref needs a document path");
    expect(bad('{"x": {"$when": 1}}')).toThrow("x: unknown tag $when");
  });
});
