import { describe, expect, it } from "vitest";
import { rulesError } from "../types/error.js";
import { isError, type Result } from "../types/value.js";
import { conditional, logicalAnd, logicalNot, logicalOr } from "./logic.js";

const S = { start: 0, end: 1 };
const R = { start: 2, end: 3 };
const operands: Record<string, Result> = {
  T: true,
  F: false,
  E: rulesError("undefined-property", "left or right error"),
  N: 1n,
};

/** Outcome names: T, F, or E:<code of the error that wins>. */
function outcome(v: Result): string {
  if (v === true) return "T";
  if (v === false) return "F";
  return isError(v) ? `E:${v.code}` : "?";
}

// Rows are the left operand, columns the right operand (T F E N). N is a non-bool value.
const AND: Record<string, string[]> = {
  T: ["T", "F", "E:undefined-property", "E:not-boolean"],
  F: ["F", "F", "F", "F"],
  E: ["E:undefined-property", "F", "E:undefined-property", "E:undefined-property"],
  N: ["E:not-boolean", "F", "E:not-boolean", "E:not-boolean"],
};
const OR: Record<string, string[]> = {
  T: ["T", "T", "T", "T"],
  F: ["T", "F", "E:undefined-property", "E:not-boolean"],
  E: ["T", "E:undefined-property", "E:undefined-property", "E:undefined-property"],
  N: ["T", "E:not-boolean", "E:not-boolean", "E:not-boolean"],
};
const COLUMNS = ["T", "F", "E", "N"];

describe("logic: error absorption truth tables", () => {
  for (const [name, fn, table] of [
    ["&&", logicalAnd, AND],
    ["||", logicalOr, OR],
  ] as const) {
    for (const left of COLUMNS) {
      COLUMNS.forEach((right, i) => {
        it(`${left} ${name} ${right} = ${table[left]![i]}`, () => {
          expect(outcome(fn(operands[left]!, () => operands[right]!, S, R))).toBe(table[left]![i]);
        });
      });
    }
  }

  it("&&: a false left operand does not evaluate the right one", () => {
    let evaluated = false;
    logicalAnd(
      false,
      () => {
        evaluated = true;
        return true;
      },
      S,
      R,
    );
    expect(evaluated).toBe(false);
  });

  it("||: a true left operand does not evaluate the right one", () => {
    let evaluated = false;
    logicalOr(
      true,
      () => {
        evaluated = true;
        return false;
      },
      S,
      R,
    );
    expect(evaluated).toBe(false);
  });

  it("!: negates bools, keeps errors, rejects other values", () => {
    expect(logicalNot(true, S)).toBe(false);
    expect(outcome(logicalNot(operands.E!, S))).toBe("E:undefined-property");
    expect(outcome(logicalNot(1n, S))).toBe("E:not-boolean");
  });

  it("?: picks a branch lazily and propagates a failing condition", () => {
    expect(
      conditional(
        true,
        () => 1n,
        () => 2n,
        S,
      ),
    ).toBe(1n);
    expect(
      conditional(
        false,
        () => 1n,
        () => 2n,
        S,
      ),
    ).toBe(2n);
    expect(
      outcome(
        conditional(
          operands.E!,
          () => true,
          () => true,
          S,
        ),
      ),
    ).toBe("E:undefined-property");
    expect(
      outcome(
        conditional(
          "x",
          () => true,
          () => true,
          S,
        ),
      ),
    ).toBe("E:not-boolean");
    expect(
      outcome(
        conditional(
          true,
          () => operands.E!,
          () => true,
          S,
        ),
      ),
    ).toBe("E:undefined-property");
  });
});
