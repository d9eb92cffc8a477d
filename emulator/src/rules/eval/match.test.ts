import { describe, expect, it } from "vitest";
import { compileRuleset } from "../compile.js";
import { formatValue } from "../types/format.js";
import { isError } from "../types/value.js";
import { ANY_ID, collectAllows, GAP, type RequestSegment } from "./match.js";

function matches(body: string, segments: RequestSegment[], version = "2"): string[] {
  const r = compileRuleset(`rules_version = '${version}';\nservice cloud.firestore {\n${body}\n}`);
  if (!r.ok) throw new Error(r.issues.map((i) => i.rendered).join("\n"));
  const svc = r.ruleset.services.get("cloud.firestore")!;
  return collectAllows(svc.matches, segments, "get", r.ruleset.version).map((m) => {
    const vars = [...m.vars].map(([k, v]) => `${k}=${isError(v) ? "?" : formatValue(v)}`).join(",");
    const { line } = r.ruleset.source.position(m.allow.span.start);
    return `L${line - 1}${vars ? ` ${vars}` : ""}`;
  });
}

describe("match: path patterns", () => {
  const rules = `match /a/{x} { allow get; }
match /a/{x}/b/{y} { allow get; }
match /{rest=**} { allow get; }
match /a/{x}/{deep=**} { allow get; }
match /a/fixed { allow get; }`;

  it.each([
    [
      ["a", "1"],
      ["L2 x='1'", "L4 rest=/a/1", "L5 x='1',deep=/"],
    ],
    [
      ["a", "fixed"],
      ["L2 x='fixed'", "L4 rest=/a/fixed", "L5 x='fixed',deep=/", "L6"],
    ],
    [
      ["a", "1", "b", "2"],
      ["L3 x='1',y='2'", "L4 rest=/a/1/b/2", "L5 x='1',deep=/b/2"],
    ],
    [["z"], ["L4 rest=/z"]],
  ] as [RequestSegment[], string[]][])("%j", (segments, expected) => {
    expect(matches(rules, segments)).toEqual(expected);
  });

  it("a query's unnamed document id binds an unknown value; literals never match it", () => {
    expect(matches(rules, ["a", ANY_ID])).toEqual(["L2 x=?", "L4 rest=?", "L5 x=?,deep=/"]);
  });

  it("a collection-group gap is consumed only by recursive wildcards", () => {
    expect(matches(rules, [GAP, "b", ANY_ID])).toEqual(["L4 rest=?"]);
    expect(matches("match /{p=**}/b/{id} { allow get; }", [GAP, "b", ANY_ID])).toEqual(["L2 p=?,id=?"]);
  });

  it("version 1 recursive wildcards need one segment or more", () => {
    expect(matches("match /a/{x}/{deep=**} { allow get; }", ["a", "1"], "1")).toEqual([]);
    expect(matches("match /a/{x}/{deep=**} { allow get; }", ["a", "1", "c"], "1")).toEqual([
      "L2 x='1',deep=/c",
    ]);
  });

  it("nested blocks consume the rest of the path after their parent", () => {
    expect(matches("match /a/{x} { match /b/{y} { allow get; } allow get; }", ["a", "1", "b", "2"])).toEqual([
      "L2 x='1',y='2'",
    ]);
  });
});
