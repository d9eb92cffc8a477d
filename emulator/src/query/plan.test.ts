import { describe, expect, it } from "vitest";
import { decodeStructuredQuery } from "../wire/query.js";
import { planQuery } from "./plan.js";

const field = (fieldPath: string) => ({ fieldPath });
const plan = (query: Record<string, unknown>) => planQuery("", decodeStructuredQuery(query));

describe("planQuery", () => {
  it("orders by explicit fields, then inequality fields, then __name__ in the last direction", () => {
    const planned = plan({
      from: [{ collectionId: "c" }],
      where: {
        compositeFilter: {
          op: "AND",
          filters: [
            { fieldFilter: { field: field("z"), op: "GREATER_THAN", value: { integerValue: "1" } } },
            { fieldFilter: { field: field("b"), op: "NOT_EQUAL", value: { integerValue: "1" } } },
            { fieldFilter: { field: field("a"), op: "EQUAL", value: { integerValue: "1" } } },
          ],
        },
      },
      orderBy: [{ field: field("y"), direction: "DESCENDING" }],
    });
    expect(planned.orderBy.map((o) => [o.path.join("."), o.descending])).toEqual([
      ["y", true],
      ["b", true],
      ["z", true],
      ["__name__", true],
    ]);
  });

  it("reads Int32Value limits and rejects cursors longer than the order", () => {
    expect(plan({ from: [{ collectionId: "c" }], limit: { value: 3 } }).limit).toBe(3);
    expect(() =>
      plan({
        from: [{ collectionId: "c" }],
        startAt: { values: [{ integerValue: "1" }, { integerValue: "2" }], before: true },
      }),
    ).toThrow(/Too many cursor values/);
  });

  it("rejects empty and oversized IN lists", () => {
    const where = (values: unknown[]) => ({
      from: [{ collectionId: "c" }],
      where: { fieldFilter: { field: field("a"), op: "IN", value: { arrayValue: { values } } } },
    });
    expect(() => plan(where([]))).toThrow(/non-empty array/);
    expect(() => plan(where(Array.from({ length: 31 }, (_, i) => ({ integerValue: String(i) }))))).toThrow(
      /at most 30 values/,
    );
  });

  it("drops __name__ from projections and treats an absent offset as 0", () => {
    const planned = plan({
      from: [{ collectionId: "c" }],
      select: { fields: [field("__name__"), field("a.b")] },
    });
    expect(planned.projection).toEqual([["a", "b"]]);
    expect(planned.offset).toBe(0);
  });
});
