import { describe, expect, it } from "vitest";
import { compileRuleset } from "./compile.js";
import { createRulesGate } from "./firestore/gate.js";
import { evalExpr, FakeDocuments } from "./testing.js";
import { isError } from "./types/value.js";

/** A small seeded generator so failures replay. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const BASE = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function isMember(org) { let p = /databases/$(database)/documents/orgs/$(org)/members/$(request.auth.uid); return exists(p); }
    match /orgs/{org}/{rest=**} {
      allow read: if isMember(org) && request.time > timestamp.value(0) ? true : resource.data.x in [1, 2.5, 'a'];
      allow write: if request.resource.data.diff(resource.data).affectedKeys().hasOnly(['a']) || !(1 + 2 * 3 == 7);
    }
  }
}`;

const ATOMS = [
  "1",
  "2.5",
  "'s'",
  "null",
  "true",
  "[1, 'a']",
  "{'k': 1}",
  "x",
  "m",
  "l",
  "request.auth",
  "/a/b",
  "b'x'",
];
const UNARY = ["!", "-"];
const BINARY = ["&&", "||", "==", "!=", "<", ">=", "+", "-", "*", "/", "%", "in"];
const METHODS = [
  ".size()",
  ".keys()",
  ".k",
  "[0]",
  "[1:2]",
  ".hasAny([1])",
  ".matches('a')",
  ".toSet()",
  " is int",
];

function expression(r: () => number, depth: number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  if (depth <= 0 || r() < 0.25) return pick(ATOMS);
  const k = r();
  if (k < 0.15) return `${pick(UNARY)}${expression(r, depth - 1)}`;
  if (k < 0.55) return `(${expression(r, depth - 1)} ${pick(BINARY)} ${expression(r, depth - 1)})`;
  if (k < 0.7)
    return `(${expression(r, depth - 1)} ? ${expression(r, depth - 1)} : ${expression(r, depth - 1)})`;
  return `((${expression(r, depth - 1)})${pick(METHODS)})`;
}

describe("robustness: user input never makes the engine throw", () => {
  it("compiling 400 mutations of a rules file returns a result or issues", () => {
    const r = rng(12345);
    const junk = ["{", "}", "(", ")", ";", "/", "$(", "'", "=", "**", "if", "&&", ".", "\n", "`", "\\"];
    for (let i = 0; i < 400; i++) {
      let text = BASE;
      for (let j = 0; j < 3; j++) {
        const at = Math.floor(r() * text.length);
        text =
          r() < 0.5
            ? text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 5))
            : text.slice(0, at) + junk[Math.floor(r() * junk.length)] + text.slice(at);
      }
      const result = compileRuleset(text);
      if (!result.ok) {
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues) expect(issue.line).toBeGreaterThan(0);
      }
    }
  });

  it("evaluating 1000 random expressions returns values or error values", () => {
    const r = rng(777);
    const vars = {
      x: 3n,
      m: { type: "map" as const, fields: new Map([["k", 1n]]) },
      l: [1n, "a"],
      request: { type: "map" as const, fields: new Map([["auth", null]]) },
    };
    let errors = 0;
    for (let i = 0; i < 1000; i++) {
      const v = evalExpr(expression(r, 4), { vars });
      if (isError(v)) {
        errors++;
        expect(v.span.end).toBeGreaterThanOrEqual(v.span.start);
      }
    }
    // Both outcomes occur, so the generator exercises values as well as errors.
    expect(errors).toBeGreaterThan(50);
    expect(errors).toBeLessThan(1000);
  });

  it("a gate judges requests under mutated-but-valid rules without throwing", () => {
    const r = rng(99);
    const docs = new FakeDocuments();
    docs.set("orgs/a/members/u", {});
    let judged = 0;
    for (let i = 0; i < 100; i++) {
      const gate = createRulesGate();
      const cond = expression(r, 3);
      const loaded = gate.setRules("p", BASE.replace("!(1 + 2 * 3 == 7)", cond));
      if (!loaded.ok) continue;
      const ctx = {
        project: "p",
        database: "(default)",
        auth: { uid: "u", token: {} },
        time: new Date(),
        before: docs.lookup(),
        after: docs.lookup(),
      };
      const after = docs.set("orgs/a/x/y", { a: 1 });
      expect(
        typeof gate.checkWrites([{ path: "orgs/a/x/y", method: "update", before: after, after }], ctx)
          .allowed,
      ).toBe("boolean");
      expect(typeof gate.checkGet("orgs/a/x/y", ctx).allowed).toBe("boolean");
      judged++;
    }
    expect(judged).toBeGreaterThan(20);
  });
});
