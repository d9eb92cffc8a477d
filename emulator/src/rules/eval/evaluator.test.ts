import { describe, expect, it } from "vitest";
import type { GateContext, GateDecision, GateWrite } from "../../shared/security.js";
import { createRulesGate } from "../firestore/gate.js";
import { FakeDocuments } from "../testing.js";

/** Wraps allow statements and functions in the usual service and database blocks. */
const rules = (body: string, version = "2") =>
  `rules_version = '${version}';\nservice cloud.firestore {\n  match /databases/{database}/documents {\n${body}\n  }\n}\n`;

function setup(body: string, version = "2") {
  const docs = new FakeDocuments();
  const gate = createRulesGate();
  const loaded = gate.setRules("p", rules(body, version));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const ctx = (uid: string | null = "u"): GateContext => ({
    project: "p",
    database: "(default)",
    auth: uid ? { uid, token: {} } : null,
    time: new Date(0),
    before: docs.lookup(),
    after: docs.lookup(),
  });
  return {
    docs,
    get: (path: string, uid: string | null = "u"): GateDecision => gate.checkGet(path, ctx(uid)),
    writes: (writes: GateWrite[]): GateDecision => gate.checkWrites(writes, ctx()),
  };
}

describe("evaluator: matching", () => {
  it("several matching allow statements combine with OR, across overlapping match blocks", () => {
    const { get } = setup(`
    match /a/{id} { allow get: if id == 'x'; }
    match /a/{other} { allow get: if other == 'y'; }
    match /{coll}/{id} { allow get: if coll == 'b'; }`);
    expect(get("a/x").allowed).toBe(true);
    expect(get("a/y").allowed).toBe(true);
    expect(get("b/z").allowed).toBe(true);
    expect(get("a/z").allowed).toBe(false);
  });

  it("an erroring allow grants nothing but does not stop another allow from granting", () => {
    const { get } = setup(`
    match /a/{id} {
      allow get: if request.auth.uid == 'u';
      allow get: if true;
    }
    match /b/{id} { allow get: if request.auth.uid == 'u'; }`);
    expect(get("a/x", null).allowed).toBe(true);
    expect(get("b/x", null).allowed).toBe(false);
  });

  it("a match block only governs documents its pattern consumes exactly", () => {
    const { get } = setup(`
    match /a/{id} { allow get; }`);
    expect(get("a/x").allowed).toBe(true);
    expect(get("a/x/sub/y").allowed).toBe(false);
  });

  it("nested matches see the wildcards of their ancestors", () => {
    const { get } = setup(`
    match /orgs/{org} {
      match /projects/{p} { allow get: if org == 'acme' && p == 'one' && database == '(default)'; }
    }`);
    expect(get("orgs/acme/projects/one").allowed).toBe(true);
    expect(get("orgs/acme/projects/two").allowed).toBe(false);
  });

  it("version 2 recursive wildcards match zero or more segments and bind a path", () => {
    const { get } = setup(`
    match /docs/{rest=**} { allow get: if rest.size() >= 1 && rest[0] == 'x'; }
    match /{all=**}/leaf/{id} { allow get: if all == /a/b || all.size() == 0; }`);
    expect(get("docs/x").allowed).toBe(true);
    expect(get("docs/x/sub/y").allowed).toBe(true);
    expect(get("docs/z").allowed).toBe(false);
    expect(get("a/b/leaf/1").allowed).toBe(true);
    expect(get("leaf/1").allowed).toBe(true);
    expect(get("a/c/leaf/1").allowed).toBe(false);
  });

  it("version 1 recursive wildcards need at least one segment", () => {
    const v1 = setup(
      `match /docs/{rest=**} { allow get; }
    match /{x=**}/leaf/{id} { allow get; }`,
      "1",
    );
    expect(v1.get("docs/x").allowed).toBe(true);
    expect(v1.get("a/leaf/1").allowed).toBe(true);
    expect(v1.get("leaf/1").allowed).toBe(false);
  });

  it("resource is null for a missing document and get() returns null for one", () => {
    const { get, docs } = setup(`
    match /a/{id} { allow get: if resource == null; }
    match /b/{id} { allow get: if get(/databases/$(database)/documents/c/$(id)) == null; }
    match /d/{id} { allow get: if get(/databases/$(database)/documents/c/$(id)).data.v == 1; }`);
    docs.set("a/present", {});
    docs.set("c/k", { v: 1 });
    expect(get("a/missing").allowed).toBe(true);
    expect(get("a/present").allowed).toBe(false);
    expect(get("b/nothing").allowed).toBe(true);
    expect(get("b/k").allowed).toBe(false);
    expect(get("d/k").allowed).toBe(true);
    const missing = get("d/nothing");
    expect(!missing.allowed && missing.message).toMatch(/Null value error/);
  });

  it("resource exposes id, __name__ and data", () => {
    const { get, docs } = setup(`
    match /a/{id} {
      allow get: if resource.id == id && resource.__name__ == /databases/$(database)/documents/a/$(id)
        && resource['__name__'][4] == id && resource.data.n == 1;
    }`);
    docs.set("a/x", { n: 1 });
    docs.set("a/y", { n: 2 });
    expect(get("a/x").allowed).toBe(true);
    expect(get("a/y").allowed).toBe(false);
  });

  it("request exposes method, path and auth; request.resource exists only on create and update", () => {
    const { get, writes, docs } = setup(`
    match /a/{id} {
      allow get: if request.method == 'get' && request.path == /databases/$(database)/documents/a/$(id);
      allow create, update: if request.method in ['create', 'update'] && request.resource.data.ok == true
        && request.resource.id == id;
      allow delete: if request.resource == null;
    }`);
    const after = docs.set("a/x", { ok: true });
    docs.docs.delete("a/x");
    expect(get("a/x").allowed).toBe(true);
    expect(writes([{ path: "a/x", method: "create", before: null, after }]).allowed).toBe(true);
    expect(writes([{ path: "a/x", method: "update", before: after, after }]).allowed).toBe(true);
    const del = writes([{ path: "a/x", method: "delete", before: after, after: null }]);
    expect(!del.allowed && del.message).toMatch(/Property resource is undefined on object/);
  });
});

describe("evaluator: denial messages", () => {
  it("never repeat stored values back to the client", () => {
    const { get, docs } = setup(`
    match /a/{id} {
      allow get: if {'x': 1}[resource.data.secret] == 1;
      allow get: if int(resource.data.secret) == 1;
      allow get: if 'x'.matches(resource.data.secret);
      allow get: if request.time.hours(resource.data.secret) == 1;
      allow get: if duration.value(1, resource.data.secret) != null;
    }`);
    docs.set("a/x", { secret: "hunter2(" });
    const d = get("a/x");
    expect(d.allowed).toBe(false);
    expect(!d.allowed && d.message.match(/for 'get' @/g)).toHaveLength(5);
    expect(!d.allowed && d.message).not.toContain("hunter2");
  });
});

describe("evaluator: functions", () => {
  it("parameters, let bindings and calls between functions", () => {
    const { get } = setup(`
    function double(x) { return x * 2; }
    function check(a, b) {
      let sum = a + b;
      let twice = double(sum);
      return twice == 10;
    }
    match /a/{id} { allow get: if check(2, 3); }
    match /b/{id} { allow get: if check(1, 1); }`);
    expect(get("a/x").allowed).toBe(true);
    expect(get("b/x").allowed).toBe(false);
  });

  it("a parameter shadows a wildcard of the same name; functions see wildcards of their block", () => {
    const { get } = setup(`
    match /a/{id} {
      function isX(id) { return id == 'x'; }
      function idIsY() { return id == 'y'; }
      allow get: if isX('x') && idIsY();
    }`);
    expect(get("a/y").allowed).toBe(true);
    expect(get("a/z").allowed).toBe(false);
  });

  it("an unused erroring argument does not fail the call", () => {
    const { get } = setup(`
    function pick(ok, unused) { return ok; }
    match /a/{id} { allow get: if pick(true, request.auth.uid); }`);
    expect(get("a/x", null).allowed).toBe(true);
  });

  it("recursion is refused at run time", () => {
    const { get } = setup(`
    function loop(n) { return n <= 0 || loop(n - 1); }
    match /a/{id} { allow get: if loop(3); }
    match /b/{id} { allow get: if loop(0); }`);
    const d = get("a/x");
    expect(!d.allowed && d.message).toMatch(/Recursive call of function \[loop\]/);
    expect(get("b/x").allowed).toBe(true);
  });

  it("the call depth is limited to 20", () => {
    const chain = Array.from(
      { length: 22 },
      (_, i) => `function f${i}() { return ${i === 21 ? "true" : `f${i + 1}()`}; }`,
    );
    const { get } = setup(`${chain.join("\n")}
    function g19() { return true; }
    ${Array.from({ length: 19 }, (_, i) => `function g${i}() { return g${i + 1}(); }`).join("\n")}
    match /deep/{id} { allow get: if f0(); }
    match /ok/{id} { allow get: if g0(); }`);
    const d = get("deep/x");
    expect(!d.allowed && d.message).toMatch(/maximum function call depth of 20/);
    expect(get("ok/x").allowed).toBe(true);
  });
});

describe("evaluator: limits", () => {
  const reads = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => `exists(/databases/$(database)/documents/d/${from + i})`).join(
      " || ",
    );

  it("a single-document request may access 10 documents; the 11th denies the request", () => {
    const { get } = setup(`
    match /ten/{id} { allow get: if ${reads(10)} || true; }
    match /eleven/{id} { allow get: if (${reads(11)}) || true; }`);
    expect(get("ten/x").allowed).toBe(true);
    const d = get("eleven/x");
    // A limit error is not absorbed by ||: it denies the whole request.
    expect(!d.allowed && d.message).toMatch(/Exceeded maximum of 10 document access calls/);
  });

  it("repeated access to the same document counts once", () => {
    const same = Array.from({ length: 15 }, () => "exists(/databases/$(database)/documents/d/1)").join(
      " || ",
    );
    const { get } = setup(`match /a/{id} { allow get: if !(${same}); }`);
    expect(get("a/x").allowed).toBe(true);
  });

  it("exceeding the access limit denies the request with a limit message", () => {
    const many = Array.from(
      { length: 11 },
      (_, i) => `!exists(/databases/$(database)/documents/d/${i})`,
    ).join(" && ");
    const { get } = setup(`match /a/{id} { allow get: if ${many}; }`);
    const d = get("a/x");
    expect(!d.allowed && d.message).toMatch(/Exceeded maximum of 10 document access calls/);
  });

  it("a batch may access 20 distinct documents in total, and each write 10", () => {
    const rule = (from: number) =>
      Array.from({ length: 7 }, (_, i) => `!exists(/databases/$(database)/documents/d/${from + i})`).join(
        " && ",
      );
    const { writes, docs } = setup(`
    match /w/{id} { allow create: if ${rule(0)} && !exists(/databases/$(database)/documents/d/$(id)); }`);
    const write = (id: string): GateWrite => ({
      path: `w/${id}`,
      method: "create",
      before: null,
      after: docs.set(`w/${id}`, {}),
    });
    docs.docs.clear();
    // Each write reads d/0..d/6 (shared) plus d/<id>: 8 per write, 7 + n distinct in total.
    const ids = Array.from({ length: 13 }, (_, i) => `${100 + i}`);
    expect(writes(ids.map(write)).allowed).toBe(true);
    const fourteen = Array.from({ length: 14 }, (_, i) => `${200 + i}`);
    const d = writes(fourteen.map(write));
    expect(!d.allowed && d.message).toMatch(/Exceeded maximum of 20 document access calls/);
  });

  it("expressions per request are limited", () => {
    const big = Array.from({ length: 600 }, () => "1 == 1").join(" && ");
    const { get } = setup(`match /a/{id} { allow get: if ${big}; }`);
    const d = get("a/x");
    expect(!d.allowed && d.message).toMatch(/limit of 1000 expressions/);
  });
});
