import { describe, expect, it } from "vitest";
import { type EmulatorError, isEmulatorError } from "../shared/errors.js";
import { decodeAggregationQuery, decodeStructuredQuery } from "./query.js";

function invalid(decode: () => unknown): EmulatorError {
  try {
    decode();
  } catch (error) {
    if (isEmulatorError(error)) return error;
    throw error;
  }
  throw new Error("expected the decoder to refuse the message");
}

const from = [{ collectionId: "c" }];
const field = (fieldPath: string) => ({ fieldPath });

describe("decodeStructuredQuery", () => {
  it("reads filters, orders, cursors, limit and projection into typed values", () => {
    const query = decodeStructuredQuery({
      from,
      where: {
        filterType: "compositeFilter",
        compositeFilter: {
          op: "OR",
          filters: [
            {
              fieldFilter: {
                field: field("a.`b.c`"),
                op: "IN",
                value: { arrayValue: { values: [{ integerValue: 1 }] } },
              },
            },
            { unaryFilter: { field: field("d"), op: "IS_NULL" } },
          ],
        },
      },
      orderBy: [{ field: field("__name__"), direction: "DESCENDING" }],
      startAt: { values: [{ referenceValue: "projects/p/databases/(default)/documents/c/x" }], before: true },
      select: { fields: [field("a")] },
      limit: { value: 5 },
    });
    expect(query).toEqual({
      collectionId: "c",
      allDescendants: false,
      where: {
        kind: "composite",
        op: "OR",
        filters: [
          {
            kind: "field",
            field: ["a", "b.c"],
            op: "IN",
            value: { arrayValue: { values: [{ integerValue: "1" }] } },
          },
          { kind: "unary", field: ["d"], op: "IS_NULL" },
        ],
      },
      orderBy: [{ path: ["__name__"], descending: true }],
      startAt: { values: [{ referenceValue: "projects/p/databases/(default)/documents/c/x" }], before: true },
      endAt: null,
      offset: null,
      limit: 5,
      select: [["a"]],
    });
    // Proto3 JSON carries wrappers as bare values.
    expect(decodeStructuredQuery({ from, limit: 5, offset: 2 })).toMatchObject({ limit: 5, offset: 2 });
  });

  it.each([
    ["no collection", {}, /exactly one collection/],
    ["an unnamed collection", { from: [{}] }, /must name a collection/],
    [
      "an unknown field operator",
      { from, where: { fieldFilter: { field: field("a"), op: "LIKE", value: { nullValue: null } } } },
      /Unsupported field filter operator LIKE/,
    ],
    [
      "an unknown unary operator",
      { from, where: { unaryFilter: { field: field("a"), op: "IS_EMPTY" } } },
      /Unsupported unary filter operator IS_EMPTY/,
    ],
    [
      "an unknown composite operator",
      { from, where: { compositeFilter: { op: "XOR", filters: [] } } },
      /Unsupported composite filter operator XOR/,
    ],
    ["an empty filter", { from, where: { nothing: {} } }, /composite, field or unary filter/],
    [
      "a filter without a value",
      { from, where: { fieldFilter: { field: field("a"), op: "EQUAL" } } },
      /Invalid value for property value/,
    ],
    ["a bad field path", { from, orderBy: [{ field: field("") }] }, /Invalid property path ""/],
    [
      "an unknown direction",
      { from, orderBy: [{ field: field("a"), direction: "SIDEWAYS" }] },
      /Unsupported order direction SIDEWAYS/,
    ],
    ["a negative limit", { from, limit: -1 }, /non-negative/],
    ["a fractional offset", { from, offset: 1.5 }, /offset must be an integer/],
    ["cursor values that are not a list", { from, startAt: { values: {} } }, /startAt.values must be a list/],
  ])("refuses %s with INVALID_ARGUMENT", (_name, raw, text) => {
    const error = invalid(() => decodeStructuredQuery(raw));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toMatch(text);
  });
});

describe("decodeAggregationQuery", () => {
  it("reads count (with upTo in either form), sum and avg with their aliases", () => {
    const { aggregations } = decodeAggregationQuery({
      structuredQuery: { from },
      aggregations: [
        { alias: "n", count: { upTo: { value: "10" } } },
        { count: { upTo: "3" } },
        { operator: "sum", sum: { field: field("x") } },
        { alias: "mean", avg: { field: field("x") } },
      ],
    });
    expect(aggregations).toEqual([
      { alias: "n", kind: "count", upTo: 10 },
      { alias: "", kind: "count", upTo: 3 },
      { alias: "", kind: "sum", field: ["x"] },
      { alias: "mean", kind: "avg", field: ["x"] },
    ]);
  });

  it("needs a query and at least one known aggregation", () => {
    expect(invalid(() => decodeAggregationQuery(undefined)).message).toMatch(
      /needs a structuredAggregationQuery/,
    );
    expect(invalid(() => decodeAggregationQuery({ structuredQuery: { from } })).message).toMatch(
      /At least one/,
    );
    expect(
      invalid(() => decodeAggregationQuery({ structuredQuery: { from }, aggregations: [{ median: {} }] }))
        .message,
    ).toMatch(/Unsupported aggregation/);
  });
});
