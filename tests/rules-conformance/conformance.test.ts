import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRulesGate } from "../../emulator/src/rules/index.js";
import type { GateContext, GateDocument, GateWrite, WireValue } from "../../emulator/src/shared/security.js";

/** The time every case runs at: Thursday 2026-01-01T00:00:00Z. */
const NOW = new Date("2026-01-01T00:00:00Z");

type Triple = [string, string, unknown];
interface Case {
  name: string;
  op: "get" | "list" | "create" | "update" | "delete";
  path: string;
  auth: { uid: string; token?: Record<string, unknown> } | null;
  data?: Record<string, unknown>;
  replace?: boolean;
  query?: { collection: string; allDescendants?: boolean; where?: Triple[]; or?: Triple[][]; limit?: number };
  expect: "allow" | "deny";
}
interface CaseFile {
  about: string;
  rules: string;
  docs: Record<string, Record<string, unknown>>;
  cases: Case[];
}

const dir = new URL("./cases/", import.meta.url);
const skip: Record<string, string> = JSON.parse(
  readFileSync(new URL("./skip.json", import.meta.url), "utf8"),
);

function wire(v: unknown): WireValue {
  if (v === null) return { nullValue: "NULL_VALUE" };
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { booleanValue: v };
  if (typeof v === "number") return Number.isInteger(v) ? { integerValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(wire) } };
  const o = v as Record<string, unknown>;
  if ("$timestamp" in o || "$serverTime" in o) {
    const ms = "$serverTime" in o ? NOW.getTime() : Date.parse(String(o.$timestamp));
    return { timestampValue: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 } };
  }
  return { mapValue: { fields: fields(o) } };
}

const fields = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, x]) => [k, wire(x)]));
const stamp = { seconds: 1, nanos: 0 };
const asDoc = (path: string, data: Record<string, unknown>): GateDocument => ({
  path,
  fields: fields(data),
  createTime: stamp,
  updateTime: stamp,
});

const OPS: Record<string, string> = {
  "==": "EQUAL",
  in: "IN",
  "<": "LESS_THAN",
  ">": "GREATER_THAN",
  "array-contains": "ARRAY_CONTAINS",
};
const fieldFilter = ([field, op, value]: Triple) => ({
  fieldFilter: { field: { fieldPath: field }, op: OPS[op], value: wire(value) },
});
const conjunction = (triples: Triple[]) => ({
  compositeFilter: { op: "AND", filters: triples.map(fieldFilter) },
});

function structuredQuery(q: NonNullable<Case["query"]>): Record<string, unknown> {
  const where = q.or
    ? { compositeFilter: { op: "OR", filters: q.or.map(conjunction) } }
    : q.where
      ? conjunction(q.where)
      : undefined;
  return {
    from: [{ collectionId: q.collection, allDescendants: q.allDescendants ?? false }],
    ...(where ? { where } : {}),
    ...(q.limit !== undefined ? { limit: { value: q.limit } } : {}),
  };
}

function run(file: CaseFile, c: Case): boolean {
  const gate = createRulesGate();
  const loaded = gate.setRules("conformance", file.rules, "firestore.rules");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const stored = new Map(Object.entries(file.docs).map(([p, d]) => [p, asDoc(p, d)]));
  const before = stored.get(c.path) ?? null;
  let after: GateDocument | null = null;
  if (c.op === "create" || c.op === "update") {
    const base = c.op === "update" && !c.replace ? (file.docs[c.path] ?? {}) : {};
    after = asDoc(c.path, { ...base, ...c.data });
  }
  const afterDocs = new Map(stored);
  if (c.op !== "get" && c.op !== "list") afterDocs.set(c.path, after as GateDocument);
  const ctx: GateContext = {
    project: "conformance",
    database: "(default)",
    auth: c.auth ? { uid: c.auth.uid, token: { sub: c.auth.uid, ...c.auth.token } } : null,
    time: NOW,
    before: { get: (p) => stored.get(p) ?? null },
    after: { get: (p) => afterDocs.get(p) ?? null },
  };
  if (c.op === "get") return gate.checkGet(c.path, ctx).allowed;
  if (c.op === "list")
    return gate.checkQuery({ parent: c.path, structuredQuery: structuredQuery(c.query!) }, ctx).allowed;
  const write: GateWrite = { path: c.path, method: c.op, before, after };
  return gate.checkWrites([write], ctx).allowed;
}

for (const name of readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()) {
  const file: CaseFile = JSON.parse(readFileSync(new URL(name, dir), "utf8"));
  const base = name.replace(/\.json$/, "");
  describe(`conformance: ${base}`, () => {
    for (const c of file.cases) {
      const reason = skip[`${base}/${c.name}`];
      if (reason) {
        it.skip(`${c.name} (skipped: ${reason})`, () => {});
        continue;
      }
      it(`${c.op} ${c.path || "/"}: ${c.name} → ${c.expect}`, () => {
        expect(run(file, c) ? "allow" : "deny").toBe(c.expect);
      });
    }
  });
}
