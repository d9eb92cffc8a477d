import { describe, expect, it } from "vitest";
import { planQuery } from "./plan.js";

const field = (fieldPath: string) => ({ fieldPath });

describe("planQuery", () => {
  it("orders by explicit fields, then inequality fields, then __name__ in the last direction", () => {
    const plan = planQuery("", {
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
    expect(plan.orderBy.map((o) => [o.path.join("."), o.descending])).toEqual([
      ["y", true],
      ["b", true],
      ["z", true],
      ["__name__", true],
    ]);
  });

  it("reads Int32Value limits and rejects cursors longer than the order", () => {
    expect(planQuery("", { from: [{ collectionId: "c" }], limit: { value: 3 } }).limit).toBe(3);
    expect(() =>
      planQuery("", {
        from: [{ collectionId: "c" }],
        startAt: { values: [{ integerValue: "1" }, { integerValue: "2" }], before: true },
      }),
    ).toThrow(/Too many cursor values/);
  });

  it("rejects empty IN lists and unknown operators", () => {
    const where = (op: string, value: unknown) => ({
      from: [{ collectionId: "c" }],
      where: { fieldFilter: { field: field("a"), op, value } },
    });
    expect(() => planQuery("", where("IN", { arrayValue: {} }))).toThrow(/non-empty array/);
    expect(() => planQuery("", where("LIKE", { stringValue: "x" }))).toThrow(/Unsupported/);
  });
});
