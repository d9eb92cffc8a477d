import { describe, expect, it } from "vitest";
import { printExpr, printFile } from "../ast/print.js";
import { Source } from "../source.js";
import { parseExpression, parseRules } from "./parser.js";

const expr = (text: string): string => {
  const r = parseExpression(new Source(text, "t"));
  if (!r.ok) throw new Error(r.issue.message);
  return printExpr(r.expr);
};

const exprError = (text: string): string => {
  const source = new Source(text, "t");
  const r = parseExpression(source);
  if (r.ok) throw new Error(`parsed: ${printExpr(r.expr)}`);
  return source.render(r.issue.span, r.issue.message);
};

// biome-ignore format: goldens read best one per line
const GOLDENS: [string, string][] = [
  ["a || b && c", "(|| a (&& b c))"],
  ["a && b || c", "(|| (&& a b) c)"],
  ["a == b && c != d", "(&& (== a b) (!= c d))"],
  ["1 + 2 * 3", "(+ 1 (* 2 3))"],
  ["(1 + 2) * 3", "(* (+ 1 2) 3)"],
  ["1 - 2 - 3", "(- (- 1 2) 3)"],
  ["a < b == true", "(== (< a b) true)"],
  ["!a.b", "(! (. a b))"],
  ["-x", "(- x)"],
  ["-5", "-5"],
  ["-9223372036854775808", "-9223372036854775808"],
  ["--1", "1"],
  ["a ? b : c ? d : e", "(? a b (? c d e))"],
  ["x in [1, 2]", "(in x [1 2])"],
  ["x is string && y", "(&& (is x string) y)"],
  ["a.b.c(1, 'x')", "(call (. (. a b) c) 1 \"x\")"],
  ["f()", "(call f)"],
  ["m['k'][0]", "([] ([] m \"k\") 0)"],
  ["l[1:2]", "([:] l 1 2)"],
  ["l[:2]", "([:] l _ 2)"],
  ["l[1:]", "([:] l 1 _)"],
  ["{'a': 1, 'b': [true, null]}", "{\"a\": 1, \"b\": [true null]}"],
  ["{}", "{}"],
  ["[]", "[]"],
  ["1.5e2", "150.0"],
  ["0x1F", "31"],
  ["'it\\'s'", "\"it's\""],
  ["\"dq\"", "\"dq\""],
  ["r'\\d+'", "\"\\\\d+\""],
  ["b'\\x00a'", "b[0,97]"],
  ["/databases/$(database)/documents/users/$(request.auth.uid)", "(path databases/$(database)/documents/users/$((. (. request auth) uid)))"],
  ["exists(/a/$(b)/c) && true", "(&& (call exists (path a/$(b)/c)) true)"],
  ["/a/pre-$(x)-post", "(path a/pre-$(x)-post)"],
  ["/databases/(default)/documents/x", "(path databases/(default)/documents/x)"],
  ["exists(/a/b) && f(/c)", "(&& (call exists (path a/b)) (call f (path c)))"],
  ["a / b", "(/ a b)"],
  ["a // comment\n && b", "(&& a b)"],
  ["a /* block */ && b", "(&& a b)"],
];

describe("parser: expression goldens", () => {
  it.each(GOLDENS)("%s", (text, printed) => {
    expect(expr(text)).toBe(printed);
  });

  it("gives every node a distinct id", () => {
    const r = parseExpression(new Source("f(a == b, c && d)", "t"));
    expect(r.ok && printExpr(r.expr, true)).toBe("(call#8 f (==#4 a b) (&&#7 c d))");
  });
});

// biome-ignore format: one case per line
const EXPR_ERRORS: [string, string][] = [
  ["a &&", "t:1:5: Unexpected end of file\na &&\n    ^"],
  ["(a", "t:1:3: Expected ')' to close the parenthesis but found end of file\n(a\n  ^"],
  ["a is thing", "t:1:6: Unknown type 'thing'\na is thing\n     ^^^^^"],
  ["'abc", "t:1:1: Unterminated string literal\n'abc\n^^^^"],
  ["a # b", "t:1:3: Unexpected character '#'\na # b\n  ^"],
  ["'\\q'", "t:1:1: Invalid escape sequence '\\q'\n'\\q'\n^^^^"],
  ["a b", "t:1:3: Unexpected 'b'\na b\n  ^"],
  ["/a//b", "t:1:3: Empty segment in path\n/a//b\n  ^"],
  ["/a/$(b", "t:1:7: Expected ')' to close the path interpolation but found end of file\n/a/$(b\n      ^"],
  ["a ? b", "t:1:6: Expected ':' in conditional expression but found end of file\na ? b\n     ^"],
];

describe("parser: expression syntax errors carry file, line, column and a caret", () => {
  it.each(EXPR_ERRORS)("%s", (text, rendered) => {
    expect(exprError(text)).toBe(rendered);
  });
});

const FILE = `rules_version = '2';
// Hearth's shape, in small
service cloud.firestore {
  function signedIn() { return request.auth != null; }
  match /databases/{database}/documents {
    function isMember(org) {
      let path = /databases/$(database)/documents/orgs/$(org)/members/$(request.auth.uid);
      return exists(path);
    }
    match /orgs/{orgId} {
      allow read: if isMember(orgId);
      allow update, delete: if false;
      match /projects/{projectId} {
        allow list;
        allow write: if signedIn()
      }
    }
    match /{document=**} {
      allow read, write: if false;
    }
  }
}
service firebase.storage {
  match /b/{bucket}/o {
    match /users/{uid}/{file=**} { allow read }
  }
}
`;

describe("parser: rules files", () => {
  it("parses services, functions, lets, nested matches and allow statements", () => {
    const r = parseRules(new Source(FILE));
    if (!r.ok) throw new Error(r.issue.message);
    expect(printFile(r.file)).toBe(
      [
        "version 2",
        "service cloud.firestore",
        "  function signedIn() = (!= (. request auth) null)",
        "  match /databases/{database}/documents",
        "    function isMember(org) = (call exists path)",
        "    match /orgs/{orgId}",
        "      allow get,list: (call isMember orgId)",
        "      allow update,delete: false",
        "      match /projects/{projectId}",
        "        allow list: always",
        "        allow create,update,delete: (call signedIn)",
        "    match /{document=**}",
        "      allow get,list,create,update,delete: false",
        "service firebase.storage",
        "  match /b/{bucket}/o",
        "    match /users/{uid}/{file=**}",
        "      allow get,list: always",
      ].join("\n"),
    );
  });

  it("accepts an allow without its ';' before the next statement or the closing brace, as Google's parser does", () => {
    const text = `service cloud.firestore {
  match /a/{id} {
    allow read: if true
    allow create: if request.auth != null
    function f() { return false; }
    allow delete
    match /b/{c} { allow write: if f() }
  }
}`;
    const r = parseRules(new Source(text));
    if (!r.ok) throw new Error(r.issue.message);
    expect(printFile(r.file)).toBe(
      [
        "version 1",
        "service cloud.firestore",
        "  match /a/{id}",
        "    function f() = false",
        "    allow get,list: true",
        "    allow create: (!= (. request auth) null)",
        "    allow delete: always",
        "    match /b/{c}",
        "      allow create,update,delete: (call f)",
      ].join("\n"),
    );
  });

  it("reads functions declared at file scope, before and after the services", () => {
    const text = `rules_version = '2';
function signedIn() { return request.auth != null; }
service cloud.firestore { match /databases/{d}/documents/x/{y} { allow read: if signedIn() && owner(y); } }
function owner(id) { return request.auth.uid == id; }`;
    const r = parseRules(new Source(text));
    if (!r.ok) throw new Error(r.issue.message);
    expect(printFile(r.file)).toBe(
      [
        "version 2",
        "function signedIn() = (!= (. request auth) null)",
        "function owner(id) = (== (. (. request auth) uid) id)",
        "service cloud.firestore",
        "  match /databases/{d}/documents/x/{y}",
        "    allow get,list: (&& (call signedIn) (call owner y))",
      ].join("\n"),
    );
  });

  it("defaults to rules_version 1", () => {
    const r = parseRules(new Source("service cloud.firestore { match /x/{y} { allow read; } }"));
    expect(r.ok && r.file.version).toBe("1");
  });

  const fileError = (text: string): string => {
    const source = new Source(text, "firestore.rules");
    const r = parseRules(source);
    if (r.ok) throw new Error("parsed");
    const { line, column } = source.position(r.issue.span.start);
    return `${line}:${column} ${r.issue.message}`;
  };

  // biome-ignore format: one case per line
  it.each([
    ["", "1:1 Expected a 'service' declaration"],
    ["rules_version = '3';", "1:17 rules_version must be '1' or '2'"],
    ["service cloud.firestor {}", "1:1 Unknown service 'cloud.firestor'; expected cloud.firestore or firebase.storage"],
    ["service cloud.firestore {\n  match /a {\n    allow reed;\n  }\n}", "3:11 Unknown method 'reed'"],
    ["service cloud.firestore {\n  match /a {\n    allow read: true;\n  }\n}", "3:17 Expected 'if' but found 'true'"],
    ["service cloud.firestore {\n  match a {}\n}", "2:9 A match pattern must start with '/'"],
    ["service cloud.firestore { match /a/{b {} }", "1:36 Invalid wildcard: expected {name} or {name=**}"],
    ["service cloud.firestore { match /a/{b}/{b} {} }", "1:40 Duplicate wildcard 'b' in match pattern"],
    ["service cloud.firestore { match /a { allow read: if a b; } }", "1:55 Expected ';' after the allow statement but found 'b'"],
    ["service cloud.firestore { function f(a, a) { return a; } }", "1:41 Duplicate parameter 'a'"],
    ["service cloud.firestore { function f() { a; } }", "1:42 Expected 'return' or 'let' but found 'a'"],
    ["service cloud.firestore { match /a { allow read: if true; }", "1:60 Expected 'match' or 'function' but found end of file"],
    ["service cloud.firestore { /* open", "1:27 Unterminated block comment"],
  ])("%j → %s", (text, expected) => {
    expect(fileError(text)).toBe(expected);
  });
});
