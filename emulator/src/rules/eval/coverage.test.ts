import { describe, expect, it } from "vitest";
import type { CoverageNode, GateContext, RuleCoverageReport } from "../../shared/security.js";
import { createRulesGate } from "../firestore/gate.js";
import { FakeDocuments } from "../testing.js";
import { coverageHtml } from "./coverage.js";

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function mine(uid) { return request.auth != null && request.auth.uid == uid; }
    match /notes/{uid} {
      allow get: if mine(uid);
      allow delete: if false;
    }
  }
}`;

const ctx = (uid: string | null): GateContext => {
  const docs = new FakeDocuments();
  return {
    project: "p",
    database: "(default)",
    auth: uid ? { uid, token: {} } : null,
    time: new Date(0),
    before: docs.lookup(),
    after: docs.lookup(),
  };
};

/** The outcomes of the root expression that starts on `line`. */
function outcomesAt(report: RuleCoverageReport, line: number): Record<string, number> {
  const node = report.report.find((n) => n.sourcePosition.line === line);
  if (!node) throw new Error(`no expression on line ${line}`);
  return Object.fromEntries(node.values.map((v) => [v.error ? "error" : JSON.stringify(v.value), v.count]));
}

describe("rule coverage", () => {
  it("counts each condition's outcomes since the rules were loaded, function bodies included", () => {
    const gate = createRulesGate();
    expect(gate.setRules("p", RULES).ok).toBe(true);
    gate.checkGet("notes/ann", ctx("ann"));
    gate.checkGet("notes/ann", ctx("ann"));
    gate.checkGet("notes/ann", ctx("bob"));
    gate.checkGet("notes/ann", ctx(null));
    const report = gate.coverage("p")!;
    expect(report.rules.files[0]!.content).toBe(RULES);
    expect(outcomesAt(report, 6)).toEqual({ '{"boolValue":true}': 2, '{"boolValue":false}': 2 });
    expect(outcomesAt(report, 4)).toEqual({ '{"boolValue":true}': 2, '{"boolValue":false}': 2 });
    // `delete` was never asked for: its condition is in the report with no outcomes.
    expect(outcomesAt(report, 7)).toEqual({});
    const body = report.report.find((n) => n.sourcePosition.line === 4)!;
    const leaves = (n: CoverageNode): CoverageNode[] => [n, ...n.children.flatMap(leaves)];
    expect(leaves(body).length).toBeGreaterThan(5);
  });

  it("starts again when new rules are loaded, and is null without rules", () => {
    const gate = createRulesGate();
    expect(gate.coverage("p")).toBeNull();
    gate.setRules("p", RULES);
    gate.checkGet("notes/ann", ctx("ann"));
    gate.setRules("p", RULES.replace("if false", "if true"));
    expect(outcomesAt(gate.coverage("p")!, 6)).toEqual({});
  });

  it("renders a page that marks evaluated, never-true and unevaluated lines", () => {
    const gate = createRulesGate();
    gate.setRules("p", RULES);
    gate.checkGet("notes/ann", ctx("ann"));
    const html = coverageHtml(gate.coverage("p")!);
    expect(html).toContain('<tr class="seen"');
    expect(html).toContain('<tr class="never"');
    expect(html).toContain("allow delete: if false;");
  });
});
