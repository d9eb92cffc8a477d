import { describe, expect, it } from "vitest";
import { compileRuleset } from "../compile.js";

const wrap = (body: string) => `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
${body}
  }
}`;

/** `line:column code severity: message` of every issue, for compact expectations. */
function issues(body: string): string[] {
  return compileRuleset(wrap(body), "firestore.rules").issues.map(
    (i) => `${i.line}:${i.column} ${i.code} ${i.severity}: ${i.message}`,
  );
}

describe("check: static checks before a ruleset is accepted", () => {
  it.each([
    ["match /a/{id} { allow read: if nope(); }", "4:32 unknown-function error: Function not found: 'nope'."],
    [
      "match /a/{id} { allow read: if math.nope(1); }",
      "4:32 unknown-function error: Function not found: 'math.nope'.",
    ],
    [
      "function f(a) { return a; }\nmatch /a/{id} { allow read: if f(1, 2); }",
      "5:32 arity error: Function 'f' takes 1 argument(s), got 2.",
    ],
    [
      "match /a/{id} { allow read: if exists(); }",
      "4:32 arity error: Function 'exists' takes 1 argument(s), got 0.",
    ],
    [
      "function f() { return true; }\nfunction f() { return false; }",
      "5:1 duplicate-function error: Function 'f' is declared twice in one scope.",
    ],
    [
      "function f(a, b, c, d, e, f, g, h) { return true; }",
      "4:1 too-many-params error: Function 'f' has more than 7 parameters.",
    ],
    [
      `function f() { ${Array.from({ length: 11 }, (_, i) => `let v${i} = ${i};`).join(" ")} return true; }`,
      "4:1 too-many-lets error: Function 'f' has more than 10 let bindings.",
    ],
    [
      "match /a/{id} { allow read: if idd == 'x'; }",
      "4:32 undefined-variable warning: Unknown variable 'idd'.",
    ],
    [
      "match /a/{id} { allow read: if math == 1; }",
      "4:32 undefined-variable warning: Unknown variable 'math' (it is a namespace of functions).",
    ],
    [
      "match /a/{id} { allow read: if exists(/users/x); }",
      "4:39 bad-path warning: exists() needs a path of the form /databases/{database}/documents/...",
    ],
    [
      "match /a/{id} { allow read: if get(/databases/$(database)/documents/users).data.x == 1; }",
      "4:36 bad-path warning: get() is given a collection path; it reads documents.",
    ],
  ])("%s", (body, expected) => {
    expect(issues(body)).toEqual([expected]);
  });

  it("paths whose length is not known from the source are not second-guessed", () => {
    const ok = [
      "exists(/databases/$(database)/documents/a/$(id))",
      "exists(/databases/$(database)/documents/$(id + '/x/y'))",
      "exists(/databases/$(database)/documents/$(rest))",
    ];
    for (const call of ok) {
      expect(issues(`match /a/{id}/{rest=**} { allow read: if ${call}; }`)).toEqual([]);
    }
    expect(
      issues("match /a/{id} { allow read: if exists(/databases/$(database)/documents/$(id)); }"),
    ).toEqual(["4:39 bad-path warning: exists() is given a collection path; it reads documents."]);
  });

  it("accepts functions declared later in the file, in enclosing scopes, and calls between them", () => {
    expect(
      issues(`match /a/{id} {
      allow read: if outer(id) && inner();
      function inner() { return outer(id); }
    }
    function outer(x) { return x == 'a' && database != null; }`),
    ).toEqual([]);
  });

  it("a function declared in a sibling block is not visible", () => {
    expect(
      issues(`match /a/{id} { function hidden() { return true; } }
    match /b/{id} { allow read: if hidden(); }`),
    ).toEqual(["5:36 unknown-function error: Function not found: 'hidden'."]);
  });

  it("lets and parameters are variables; match wildcards are visible in nested blocks", () => {
    expect(
      issues(`match /orgs/{org} {
      function f(p) { let q = p + org; return q == database; }
      match /x/{y} { allow read: if f(y) && org != y; }
    }`),
    ).toEqual([]);
  });

  it("an error refuses the ruleset; warnings alone do not", () => {
    const warned = compileRuleset(wrap("match /a/{id} { allow read: if typo; }"));
    expect(warned.ok).toBe(true);
    expect(warned.issues.map((i) => i.severity)).toEqual(["warning"]);
    const failed = compileRuleset(wrap("match /a/{id} { allow read: if typo(); }"));
    expect(failed.ok).toBe(false);
  });

  it("a ruleset over 256 KB is refused", () => {
    const padding = `// ${"x".repeat(256 * 1024)}\n`;
    const r = compileRuleset(padding + wrap(""));
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => i.code)).toEqual(["too-large"]);
    expect(compileRuleset(wrap("")).ok).toBe(true);
  });

  it("issues render the file, position and a caret", () => {
    const r = compileRuleset(wrap("match /a/{id} { allow read: if nope(); }"), "firestore.rules");
    expect(r.issues[0]?.rendered).toBe(
      "firestore.rules:4:32: Function not found: 'nope'.\nmatch /a/{id} { allow read: if nope(); }\n                               ^^^^",
    );
  });
});
