import { describe, expect, it } from "vitest";
import type { GateContext } from "../../shared/security.js";
import { FakeDocuments, wireValue } from "../testing.js";
import { createRulesGate } from "./gate.js";
import { analyzeQuery, fieldSegments } from "./query.js";

const eq = (field: string, value: unknown) => ({
  fieldFilter: { field: { fieldPath: field }, op: "EQUAL", value: wireValue(value) },
});

function gateWith(body: string) {
  const gate = createRulesGate();
  const r = gate.setRules(
    "p",
    `rules_version = '2';\nservice cloud.firestore {\n  match /databases/{database}/documents {\n${body}\n  }\n}`,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const docs = new FakeDocuments();
  const ctx: GateContext = {
    project: "p",
    database: "(default)",
    auth: { uid: "u", token: {} },
    time: new Date(0),
    before: docs.lookup(),
    after: docs.lookup(),
  };
  return (structuredQuery: Record<string, unknown>, parent = "") =>
    gate.checkQuery({ parent, structuredQuery: { from: [{ collectionId: "c" }], ...structuredQuery } }, ctx)
      .allowed;
}

describe("query: field paths", () => {
  it.each([
    ["a", ["a"]],
    ["a.b.c", ["a", "b", "c"]],
    ["`a.b`.c", ["a.b", "c"]],
    ["a.`x\\`y`", ["a", "x`y"]],
  ])("%s → %j", (path, segments) => {
    expect(fieldSegments(path)).toEqual(segments);
  });
});

describe("query: what a query pins", () => {
  it("nested fields are pinned through their dotted path", () => {
    const list = gateWith("match /c/{id} { allow list: if resource.data.owner.uid == request.auth.uid; }");
    expect(list({ where: eq("owner.uid", "u") })).toBe(true);
    expect(list({ where: eq("owner.uid", "v") })).toBe(false);
    expect(list({ where: eq("owner", { uid: "u" }) })).toBe(true);
    expect(list({})).toBe(false);
  });

  it("map.get on resource.data reads a pinned field, and is unknown for others", () => {
    const list = gateWith("match /c/{id} { allow list: if resource.data.get('team', 'none') == 'red'; }");
    expect(list({ where: eq("team", "red") })).toBe(true);
    expect(list({ where: eq("other", "red") })).toBe(false);
    const nested = gateWith(
      "match /c/{id} { allow list: if resource.data.get(['a', 'b'], 'none') == 'none'; }",
    );
    expect(nested({ where: eq("a", { c: 1 }) })).toBe(true);
    expect(nested({ where: eq("a", { b: 1 }) })).toBe(false);
    expect(nested({ where: eq("a.b", "none") })).toBe(true);
    expect(nested({ where: eq("z", 1) })).toBe(false);
  });

  it("__name__ equality pins resource.id and resource.__name__", () => {
    const list = gateWith(
      "match /c/{id} { allow list: if resource.id == 'x' && resource.__name__[4] == 'x'; }",
    );
    const name = { referenceValue: "projects/p/databases/(default)/documents/c/x" };
    const byName = (value: unknown) => ({
      where: { fieldFilter: { field: { fieldPath: "__name__" }, op: "EQUAL", value } },
    });
    expect(list(byName(name))).toBe(true);
    expect(list(byName({ referenceValue: "projects/p/databases/(default)/documents/c/y" }))).toBe(false);
    expect(list({})).toBe(false);
  });

  it("the document wildcard of a list is unknown", () => {
    const list = gateWith("match /c/{id} { allow list: if id == 'x'; }");
    expect(list({})).toBe(false);
  });

  it("questions about the whole document's key set are unknown; resource itself is never null", () => {
    expect(
      gateWith("match /c/{id} { allow list: if resource.data.keys().hasOnly(['a']); }")({
        where: eq("a", 1),
      }),
    ).toBe(false);
    expect(gateWith("match /c/{id} { allow list: if resource != null; }")({})).toBe(true);
    expect(gateWith("match /c/{id} { allow list: if resource.data is map; }")({})).toBe(true);
    expect(gateWith("match /c/{id} { allow list: if resource.data.a is int; }")({ where: eq("a", 1) })).toBe(
      true,
    );
    expect(gateWith("match /c/{id} { allow list: if resource.data.a is int; }")({})).toBe(false);
  });

  it("array-contains makes a list field known to hold the value", () => {
    const contains = (field: string, value: unknown, op = "ARRAY_CONTAINS") => ({
      where: { fieldFilter: { field: { fieldPath: field }, op, value: wireValue(value) } },
    });
    const member = gateWith("match /c/{id} { allow list: if request.auth.uid in resource.data.members; }");
    expect(member(contains("members", "u"))).toBe(true);
    expect(member(contains("members", "v"))).toBe(false);
    expect(member({ where: eq("members", ["u", "w"]) })).toBe(true);
    expect(member({})).toBe(false);
    const any = gateWith("match /c/{id} { allow list: if resource.data.tags.hasAny(['a', 'b']); }");
    expect(any(contains("tags", "b"))).toBe(true);
    expect(any(contains("tags", ["a", "b"], "ARRAY_CONTAINS_ANY"))).toBe(true);
    expect(any(contains("tags", ["a", "c"], "ARRAY_CONTAINS_ANY"))).toBe(false);
    expect(any(contains("tags", "c"))).toBe(false);
    const all = gateWith(
      "match /c/{id} { allow list: if resource.data.tags.hasAll(['a']) && resource.data.tags is list; }",
    );
    expect(all(contains("tags", "a"))).toBe(true);
    const size = gateWith("match /c/{id} { allow list: if resource.data.tags.size() > 0; }");
    expect(size(contains("tags", "a"))).toBe(false);
    const map = gateWith("match /c/{id} { allow list: if resource.data.tags is map; }");
    expect(map(contains("tags", "a"))).toBe(false);
  });

  it("IS_NULL pins null; numeric enum operators work as well as names", () => {
    const list = gateWith("match /c/{id} { allow list: if resource.data.deletedAt == null; }");
    expect(list({ where: { unaryFilter: { op: "IS_NULL", field: { fieldPath: "deletedAt" } } } })).toBe(true);
    expect(list({ where: { unaryFilter: { op: 3, field: { fieldPath: "deletedAt" } } } })).toBe(true);
    expect(list({ where: { unaryFilter: { op: "IS_NOT_NULL", field: { fieldPath: "deletedAt" } } } })).toBe(
      false,
    );
    const numeric = {
      fieldFilter: { field: { fieldPath: "deletedAt" }, op: 5, value: { nullValue: "NULL_VALUE" } },
    };
    expect(list({ where: numeric })).toBe(true);
  });

  it("contradictory equalities are still judged once, with nothing pinned", () => {
    const list = gateWith("match /c/{id} { allow list: if resource.data.a == 1; }");
    const where = { compositeFilter: { op: "AND", filters: [eq("a", 1), eq("a", 2)] } };
    expect(list({ where })).toBe(false);
  });

  it("too many alternatives are refused with a message", () => {
    const gate = createRulesGate();
    gate.setRules(
      "p",
      "service cloud.firestore { match /databases/{d}/documents { match /c/{id} { allow list: if true; } } }",
    );
    const ins = ["a", "b", "c"].map((f) => ({
      fieldFilter: {
        field: { fieldPath: f },
        op: "IN",
        value: wireValue(Array.from({ length: 10 }, (_, i) => i)),
      },
    }));
    const d = gate.checkQuery(
      {
        parent: "",
        structuredQuery: {
          from: [{ collectionId: "c" }],
          where: { compositeFilter: { op: "AND", filters: ins } },
        },
      },
      {
        project: "p",
        database: "(default)",
        auth: null,
        time: new Date(0),
        before: { get: () => null },
        after: { get: () => null },
      },
    );
    expect(!d.allowed && d.message).toMatch(/more than 64 cases/);
  });

  it("request.query carries limit, offset and orderBy", () => {
    const analysis = analyzeQuery(
      {
        parent: "",
        structuredQuery: {
          from: [{ collectionId: "c" }],
          limit: { value: 5 },
          offset: 2,
          orderBy: [{ field: { fieldPath: "a" }, direction: "DESCENDING" }],
        },
      },
      "(default)",
    );
    expect(analysis.ok).toBe(true);
    if (!analysis.ok) return;
    const q = analysis.shape.query as { fields: Map<string, unknown> };
    expect(q.fields.get("limit")).toBe(5n);
    expect(q.fields.get("offset")).toBe(2n);
    expect((q.fields.get("orderBy") as { fields: Map<string, unknown> }).fields.get("a")).toBe("DESC");
  });
});

const field = (op: string, f: string, value: unknown) => ({
  fieldFilter: { field: { fieldPath: f }, op, value: wireValue(value) },
});

describe("query: fields every result has", () => {
  // Each way a query constrains field `a` (Firestore returns only documents that have a filtered or
  // ordered field), so every form of "the document has a" is known to be true.
  const constraints: [string, Record<string, unknown>][] = [
    ["==", { where: field("EQUAL", "a", 1) }],
    ["<", { where: field("LESS_THAN", "a", 5) }],
    [">=", { where: field("GREATER_THAN_OR_EQUAL", "a", 5) }],
    ["!=", { where: field("NOT_EQUAL", "a", 5) }],
    ["in", { where: field("IN", "a", [1, 2]) }],
    ["not-in", { where: field("NOT_IN", "a", [1, 2]) }],
    ["array-contains", { where: field("ARRAY_CONTAINS", "a", 1) }],
    ["array-contains-any", { where: field("ARRAY_CONTAINS_ANY", "a", [1, 2]) }],
    ["is null", { where: { unaryFilter: { op: "IS_NULL", field: { fieldPath: "a" } } } }],
    ["is not null", { where: { unaryFilter: { op: "IS_NOT_NULL", field: { fieldPath: "a" } } } }],
    ["orderBy", { orderBy: [{ field: { fieldPath: "a" }, direction: "ASCENDING" }] }],
    [
      "and with another field",
      {
        where: {
          compositeFilter: { op: "AND", filters: [field("EQUAL", "b", 1), field("LESS_THAN", "a", 3)] },
        },
      },
    ],
  ];
  const known = [
    "'a' in resource.data",
    "resource.data.keys().hasAll(['a'])",
    "resource.data.keys().hasAny(['a', 'z'])",
    "'a' in resource.data.keys()",
    "!('a' in resource.data) == false",
  ];
  const unknown = [
    "'z' in resource.data",
    "resource.data.keys().hasAll(['a', 'z'])",
    "resource.data.keys().hasOnly(['a'])",
    "resource.data.keys().size() > 0",
    "!('a' in resource.data)",
  ];
  for (const [name, query] of constraints) {
    it.each(known)(`${name}: %s is allowed`, (cond) => {
      expect(gateWith(`match /c/{id} { allow list: if ${cond}; }`)(query)).toBe(true);
    });
    it.each(unknown)(`${name}: %s is refused`, (cond) => {
      expect(gateWith(`match /c/{id} { allow list: if ${cond}; }`)(query)).toBe(false);
    });
  }

  it("a nested filter makes each enclosing map known to have the next key", () => {
    const list = (cond: string) =>
      gateWith(`match /c/{id} { allow list: if ${cond}; }`)({ where: field("EQUAL", "m.x", 1) });
    expect(list("'m' in resource.data && 'x' in resource.data.m")).toBe(true);
    expect(list("resource.data.m.keys().hasAll(['x'])")).toBe(true);
    expect(list("'y' in resource.data.m")).toBe(false);
  });

  it("an OR query knows only what every alternative guarantees", () => {
    const where = {
      compositeFilter: { op: "OR", filters: [field("EQUAL", "a", 1), field("EQUAL", "b", 2)] },
    };
    const list = (cond: string) => gateWith(`match /c/{id} { allow list: if ${cond}; }`)({ where });
    expect(list("'a' in resource.data")).toBe(false);
    expect(list("'a' in resource.data || 'b' in resource.data")).toBe(true);
    const both = { where, orderBy: [{ field: { fieldPath: "c" } }] };
    expect(gateWith("match /c/{id} { allow list: if 'c' in resource.data; }")(both)).toBe(true);
  });

  it("a query without constraints knows no field", () => {
    expect(gateWith("match /c/{id} { allow list: if 'a' in resource.data; }")({})).toBe(false);
    expect(gateWith("match /c/{id} { allow list: if resource.data.keys().hasAny(['a']); }")({})).toBe(false);
  });
});
