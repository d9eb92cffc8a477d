import { beforeEach, describe, expect, it } from "vitest";
import type { GateAuth, GateContext, GateDecision, GateDocument, GateWrite } from "../../shared/security.js";
import { FakeDocuments, wireValue } from "../testing.js";
import { createRulesGate } from "./gate.js";

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    function signedIn() { return request.auth != null; }
    function memberDoc(orgId) {
      return /databases/$(database)/documents/orgs/$(orgId)/members/$(request.auth.uid);
    }
    function isMember(orgId) { return signedIn() && exists(memberDoc(orgId)); }
    function roleAtLeast(orgId, role) {
      let ranks = {'viewer': 1, 'member': 2, 'admin': 3, 'owner': 4};
      return isMember(orgId) && ranks[get(memberDoc(orgId)).data.role] >= ranks[role];
    }
    match /orgs/{orgId} {
      allow read: if isMember(orgId);
      allow update: if roleAtLeast(orgId, 'admin')
        && request.resource.data.diff(resource.data).affectedKeys().hasOnly(['name', 'settings']);
      match /members/{uid} {
        allow read: if isMember(orgId);
      }
      match /projects/{projectId} {
        allow read: if isMember(orgId);
        allow create: if roleAtLeast(orgId, 'member')
          && request.resource.data.createdBy == request.auth.uid
          && request.resource.data.keys().hasOnly(['name', 'createdBy', 'status'])
          && request.resource.data.name is string
          && request.resource.data.name.size() > 0;
        allow update: if (resource.data.createdBy == request.auth.uid && roleAtLeast(orgId, 'member'))
          || roleAtLeast(orgId, 'admin');
        allow delete: if roleAtLeast(orgId, 'admin');
      }
    }
    match /posts/{postId} {
      allow get: if resource == null || resource.data.visibility == 'public';
      allow list: if resource.data.visibility == 'public' || resource.data.owner == request.auth.uid;
      allow list: if request.query.limit <= 10 && resource.data.tag == 'small';
    }
    match /{path=**}/comments/{id} {
      allow list: if resource.data.published == true;
    }
    match /counters/{id} {
      allow create: if getAfter(/databases/$(database)/documents/counters/$(id)).data.n == 1
        && existsAfter(/databases/$(database)/documents/logs/$(id));
    }
    match /logs/{id} {
      allow create: if true;
    }
    match /users/{uid} {
      allow read, write: if request.auth.uid == uid;
    }
    match /stamped/{id} {
      allow create: if request.resource.data.at == request.time;
    }
  }
}
`;

const PROJECT = "demo-gate";
let docs: FakeDocuments;
let gate: ReturnType<typeof createRulesGate>;

const auth = (uid: string | null): GateAuth =>
  uid ? { uid, token: { sub: uid, email: `${uid}@x.test` } } : null;

function ctx(uid: string | null, overlay: Record<string, GateDocument | null> = {}): GateContext {
  return {
    project: PROJECT,
    database: "(default)",
    auth: auth(uid),
    time: new Date("2026-01-01T00:00:00Z"),
    before: docs.lookup(),
    after: docs.lookup(overlay),
  };
}

function doc(path: string, fields: Record<string, unknown>): GateDocument {
  return { ...new FakeDocuments().set(path, fields) };
}

function write(method: GateWrite["method"], path: string, after: Record<string, unknown> | null): GateWrite {
  const before = docs.docs.get(path) ?? null;
  return { path, method, before, after: after ? doc(path, after) : null };
}

/** Runs a commit the way the data plane does: after-state overlays every write of the batch. */
function commit(uid: string | null, writes: GateWrite[]): GateDecision {
  const overlay = Object.fromEntries(writes.map((w) => [w.path, w.after]));
  return gate.checkWrites(writes, ctx(uid, overlay));
}

type Filter = Record<string, unknown>;
const eq = (field: string, value: unknown): Filter => ({
  fieldFilter: { field: { fieldPath: field }, op: "EQUAL", value: wireValue(value) },
});
const inF = (field: string, values: unknown[]): Filter => ({
  fieldFilter: { field: { fieldPath: field }, op: "IN", value: wireValue(values) },
});
const and = (...filters: Filter[]): Filter => ({ compositeFilter: { op: "AND", filters } });
const or = (...filters: Filter[]): Filter => ({ compositeFilter: { op: "OR", filters } });

function list(uid: string | null, parent: string, collectionId: string, extra: Record<string, unknown> = {}) {
  return gate.checkQuery({ parent, structuredQuery: { from: [{ collectionId }], ...extra } }, ctx(uid));
}

beforeEach(() => {
  docs = new FakeDocuments();
  gate = createRulesGate();
  const loaded = gate.setRules(PROJECT, RULES, "firestore.rules");
  expect(loaded).toEqual({ ok: true, issues: [] });
  docs.set("orgs/acme", { name: "Acme", ownerUid: "olga" });
  docs.set("orgs/acme/members/olga", { role: "owner" });
  docs.set("orgs/acme/members/adam", { role: "admin" });
  docs.set("orgs/acme/members/mia", { role: "member" });
  docs.set("orgs/acme/members/vic", { role: "viewer" });
  docs.set("orgs/acme/projects/p1", { name: "One", createdBy: "mia", status: "active" });
  docs.set("posts/pub", { visibility: "public", owner: "x" });
  docs.set("posts/priv", { visibility: "private", owner: "x" });
});

describe("gate: get", () => {
  it.each([
    ["olga", "orgs/acme", true],
    ["vic", "orgs/acme", true],
    ["stranger", "orgs/acme", false],
    [null, "orgs/acme", false],
    ["vic", "orgs/acme/projects/p1", true],
    ["stranger", "orgs/acme/projects/p1", false],
    ["mia", "orgs/acme/members/olga", true],
    ["mia", "orgs/other/members/olga", false],
    ["mia", "users/mia", true],
    ["mia", "users/olga", false],
    [null, "users/olga", false],
    [null, "posts/pub", true],
    [null, "posts/priv", false],
    [null, "posts/missing", true],
    ["olga", "unmatched/doc", false],
  ] as const)("%s reading %s → %s", (uid, path, allowed) => {
    expect(gate.checkGet(path, ctx(uid)).allowed).toBe(allowed);
  });

  it("a denial names the method and the line of the failing allow", () => {
    const d = gate.checkGet("orgs/acme", ctx("stranger"));
    expect(d).toEqual({
      allowed: false,
      message: "Missing or insufficient permissions. false for 'get' @ L14",
    });
  });

  it("an erroring condition reports the error and its position", () => {
    const d = gate.checkGet("posts/priv", ctx(null));
    expect(d.allowed).toBe(false);
    expect(!d.allowed && d.message).toBe("Missing or insufficient permissions. false for 'get' @ L33");
    const u = gate.checkGet("users/x", ctx(null));
    expect(!u.allowed && u.message).toMatch(/Null value error.*for 'get' @ L48:29$/);
  });

  it("no matching statement is reported as such", () => {
    const d = gate.checkGet("nowhere/x", ctx("olga"));
    expect(!d.allowed && d.message).toBe(
      "Missing or insufficient permissions. No matching allow statements for 'get'",
    );
  });
});

describe("gate: writes", () => {
  const project = { name: "New", createdBy: "mia", status: "active" };

  it.each([
    ["mia", { ...project }, true],
    ["adam", { ...project, createdBy: "adam" }, true],
    ["vic", { ...project, createdBy: "vic" }, false],
    ["mia", { ...project, createdBy: "olga" }, false],
    ["mia", { ...project, extra: 1 }, false],
    ["mia", { ...project, name: "" }, false],
    ["mia", { ...project, name: 42 }, false],
    ["stranger", { ...project, createdBy: "stranger" }, false],
    [null, project, false],
  ] as const)("create project as %s with %j → %s", (uid, data, allowed) => {
    expect(commit(uid, [write("create", "orgs/acme/projects/new", data)]).allowed).toBe(allowed);
  });

  it.each([
    ["mia", true],
    ["adam", true],
    ["olga", true],
    ["vic", false],
  ])("update of mia's project by %s → %s", (uid, allowed) => {
    const w = write("update", "orgs/acme/projects/p1", {
      name: "Renamed",
      createdBy: "mia",
      status: "active",
    });
    expect(commit(uid, [w]).allowed).toBe(allowed);
  });

  it.each([
    ["adam", true],
    ["mia", false],
  ])("delete by %s → %s", (uid, allowed) => {
    expect(commit(uid, [write("delete", "orgs/acme/projects/p1", null)]).allowed).toBe(allowed);
  });

  it("org update is limited to name and settings through MapDiff.affectedKeys", () => {
    expect(commit("adam", [write("update", "orgs/acme", { name: "Acme 2", ownerUid: "olga" })]).allowed).toBe(
      true,
    );
    expect(commit("adam", [write("update", "orgs/acme", { name: "Acme", ownerUid: "adam" })]).allowed).toBe(
      false,
    );
    expect(commit("mia", [write("update", "orgs/acme", { name: "Acme 2", ownerUid: "olga" })]).allowed).toBe(
      false,
    );
  });

  it("read and write expand to the granular methods", () => {
    expect(commit("mia", [write("create", "users/mia", { a: 1 })]).allowed).toBe(true);
    docs.set("users/mia", { a: 1 });
    expect(commit("mia", [write("update", "users/mia", { a: 2 })]).allowed).toBe(true);
    expect(commit("mia", [write("delete", "users/mia", null)]).allowed).toBe(true);
    expect(commit("olga", [write("delete", "users/mia", null)]).allowed).toBe(false);
  });

  it("every write of a batch is judged; one refusal refuses the batch and names the write", () => {
    const d = commit("mia", [
      write("create", "users/mia", { a: 1 }),
      write("create", "users/olga", { a: 1 }),
    ]);
    expect(d.allowed).toBe(false);
    expect(!d.allowed && d.message).toContain("(create of /users/olga)");
  });

  it("getAfter and existsAfter see the whole batch", () => {
    const counter = write("create", "counters/c1", { n: 1 });
    expect(commit("mia", [counter]).allowed).toBe(false);
    expect(commit("mia", [counter, write("create", "logs/c1", { at: 1 })]).allowed).toBe(true);
    expect(
      commit("mia", [write("create", "counters/c1", { n: 2 }), write("create", "logs/c1", {})]).allowed,
    ).toBe(false);
  });
});

describe("gate: request.time", () => {
  it("compares equal to a server timestamp of the commit, to the microsecond, when the seam gives one", () => {
    const at = { seconds: 1_767_225_600, nanos: 123_456_000 };
    const stamped: GateDocument = {
      path: "stamped/s1",
      fields: { at: { timestampValue: at } },
      createTime: at,
      updateTime: at,
    };
    const w: GateWrite = { path: "stamped/s1", method: "create", before: null, after: stamped };
    expect(
      gate.checkWrites([w], { ...ctx("u"), time: new Date(1_767_225_600_123), timestamp: at } as GateContext)
        .allowed,
    ).toBe(true);
    expect(gate.checkWrites([w], { ...ctx("u"), time: new Date(1_767_225_600_123) }).allowed).toBe(false);
    const later = { ...at, nanos: 124_000_000 };
    expect(
      gate.checkWrites([w], { ...ctx("u"), time: new Date(0), timestamp: later } as GateContext).allowed,
    ).toBe(false);
  });
});

describe("gate: queries are judged by their constraints, not by the stored documents", () => {
  it("Hearth's membership pattern allows a member's query on the org's projects", () => {
    expect(list("vic", "orgs/acme", "projects").allowed).toBe(true);
    expect(list("stranger", "orgs/acme", "projects").allowed).toBe(false);
    expect(list(null, "orgs/acme", "projects").allowed).toBe(false);
  });

  it("a rule on resource.data needs a matching equality filter, even when every stored doc matches", () => {
    docs.docs.delete("posts/priv");
    expect(list(null, "", "posts").allowed).toBe(false);
    expect(list(null, "", "posts", { where: eq("visibility", "public") }).allowed).toBe(true);
    expect(list(null, "", "posts", { where: eq("visibility", "private") }).allowed).toBe(false);
  });

  it("either disjunct of the rule may be proved by the query", () => {
    expect(list("u1", "", "posts", { where: eq("owner", "u1") }).allowed).toBe(true);
    expect(list("u1", "", "posts", { where: eq("owner", "u2") }).allowed).toBe(false);
    expect(list("u1", "", "posts", { where: and(eq("owner", "u1"), eq("x", 1)) }).allowed).toBe(true);
  });

  it("an IN filter must be allowed for every value", () => {
    expect(list("u1", "", "posts", { where: inF("visibility", ["public"]) }).allowed).toBe(true);
    expect(list("u1", "", "posts", { where: inF("visibility", ["public", "private"]) }).allowed).toBe(false);
  });

  it("an OR query must be allowed in every branch", () => {
    expect(
      list("u1", "", "posts", { where: or(eq("visibility", "public"), eq("owner", "u1")) }).allowed,
    ).toBe(true);
    expect(
      list("u1", "", "posts", { where: or(eq("visibility", "public"), eq("owner", "u2")) }).allowed,
    ).toBe(false);
  });

  it("inequality filters pin nothing", () => {
    const where = {
      fieldFilter: {
        field: { fieldPath: "visibility" },
        op: "GREATER_THAN_OR_EQUAL",
        value: wireValue("public"),
      },
    };
    expect(list("u1", "", "posts", { where }).allowed).toBe(false);
  });

  it("request.query.limit is checked against the query", () => {
    const where = eq("tag", "small");
    expect(list("u1", "", "posts", { where, limit: { value: 5 } }).allowed).toBe(true);
    expect(list("u1", "", "posts", { where, limit: 10 }).allowed).toBe(true);
    expect(list("u1", "", "posts", { where, limit: { value: 11 } }).allowed).toBe(false);
    expect(list("u1", "", "posts", { where }).allowed).toBe(false);
  });

  it("collection-group queries need a recursive-wildcard rule", () => {
    const where = eq("published", true);
    const group = (parent: string, w?: Filter) =>
      gate.checkQuery(
        {
          parent,
          structuredQuery: {
            from: [{ collectionId: "comments", allDescendants: true }],
            ...(w ? { where: w } : {}),
          },
        },
        ctx("u1"),
      );
    expect(group("", where).allowed).toBe(true);
    expect(group("posts/pub", where).allowed).toBe(true);
    expect(group("").allowed).toBe(false);
    expect(list("u1", "posts/pub", "comments", { where }).allowed).toBe(true);
    // projects have no recursive rule, so a group query over them is refused even for an owner.
    expect(
      gate.checkQuery(
        { parent: "", structuredQuery: { from: [{ collectionId: "projects", allDescendants: true }] } },
        ctx("olga"),
      ).allowed,
    ).toBe(false);
  });

  it("a denied query explains which field the query leaves open", () => {
    const d = list(null, "", "posts");
    expect(!d.allowed && d.message).toContain("resource.data.visibility is not constrained by the query");
  });
});

describe("gate: rules loading", () => {
  it("a compile error is reported with line and column, and the previous rules stay in force", () => {
    const r = gate.setRules(PROJECT, "service cloud.firestore {\n  match /a {\n    allow read: if ;\n  }\n}");
    expect(r).toEqual({
      ok: false,
      issues: [{ line: 3, column: 20, message: "Unexpected ';'", severity: "error" }],
    });
    expect(gate.checkGet("orgs/acme", ctx("olga")).allowed).toBe(true);
    expect(gate.checkGet("orgs/acme", ctx("stranger")).allowed).toBe(false);
  });

  it("projects without rules allow everything, unless default rules are given", () => {
    const open = createRulesGate();
    expect(open.checkGet("any/doc", { ...ctx(null), project: "other" }).allowed).toBe(true);
    const closed = createRulesGate({
      defaultRules:
        "service cloud.firestore { match /databases/{d}/documents { match /{x=**} { allow read: if false; } } }",
    });
    expect(closed.checkGet("any/doc", { ...ctx(null), project: "other" }).allowed).toBe(false);
    expect(() => createRulesGate({ defaultRules: "service cloud.firestore {" })).toThrow(
      /Default rules do not compile/,
    );
  });

  it("debug() lines go to the debug option with their position, and debug() returns its argument", () => {
    const lines: string[] = [];
    const traced = createRulesGate({ debug: (line) => lines.push(line), fileName: "traced.rules" });
    traced.setRules(
      PROJECT,
      "service cloud.firestore {\n  match /databases/{d}/documents/a/{id} {\n    allow get: if debug(request.auth.uid) == 'u';\n  }\n}",
    );
    expect(traced.checkGet("a/x", ctx("u")).allowed).toBe(true);
    expect(traced.checkGet("a/x", ctx("v")).allowed).toBe(false);
    expect(lines).toEqual(["traced.rules:3:19 debug: 'u'", "traced.rules:3:19 debug: 'v'"]);
  });

  it("rules are kept per project", () => {
    gate.setRules(
      "second",
      "service cloud.firestore { match /databases/{d}/documents/{doc=**} { allow read; } }",
    );
    expect(gate.checkGet("nowhere/x", { ...ctx(null), project: "second" }).allowed).toBe(true);
    expect(gate.checkGet("nowhere/x", ctx(null)).allowed).toBe(false);
  });
});
