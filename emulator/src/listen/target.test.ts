import { describe, expect, it } from "vitest";
import { planQuery } from "../query/plan.js";
import { makeDoc } from "../store/document.js";
import { MemoryStore } from "../store/memory-store.js";
import { decodeStructuredQuery } from "../wire/query.js";
import { ListenTarget } from "./target.js";

const db = { project: "p", database: "(default)" };
const doc = (path: string, n: number, time = 1) => makeDoc(path, { n: { integerValue: String(n) } }, 1, time);

function store(...docs: ReturnType<typeof doc>[]): MemoryStore {
  const s = new MemoryStore();
  for (const d of docs) s.put(d);
  return s;
}

const query = (extra: Record<string, unknown> = {}) =>
  planQuery(
    "",
    decodeStructuredQuery({
      from: [{ collectionId: "c" }],
      where: { fieldFilter: { field: { fieldPath: "n" }, op: "GREATER_THAN", value: { integerValue: "0" } } },
      ...extra,
    }),
  );

describe("ListenTarget", () => {
  it("reports adds, modifications and removals from the changed documents only", () => {
    const s = store(doc("c/a", 1));
    const target = new ListenTarget(2, { kind: "query", plan: query() }, db);
    expect(target.initial(s).map((d) => d.path)).toEqual(["c/a"]);
    const changes = target.changesFor(
      [
        { path: "c/b", before: null, after: doc("c/b", 5, 2) },
        { path: "c/a", before: doc("c/a", 1), after: doc("c/a", -1, 2) },
        { path: "other/x", before: null, after: doc("other/x", 9, 2) },
      ],
      s,
    );
    expect(changes.map((c) => `${c.type}:${c.type === "change" ? c.doc.path : c.path}`)).toEqual([
      "change:c/b",
      "remove:c/a",
    ]);
  });

  it("re-runs windowed queries so documents enter and leave the limit", () => {
    const s = store(doc("c/a", 1), doc("c/b", 2), doc("c/c", 3));
    const target = new ListenTarget(
      2,
      { kind: "query", plan: query({ orderBy: [{ field: { fieldPath: "n" } }], limit: { value: 2 } }) },
      db,
    );
    expect(target.initial(s).map((d) => d.path)).toEqual(["c/a", "c/b"]);
    const before = s.get("c/a")!;
    const after = doc("c/a", 10, 2);
    s.put(after);
    const changes = target.changesFor([{ path: "c/a", before, after }], s);
    expect(changes.map((c) => `${c.type}:${c.type === "change" ? c.doc.path : c.path}`)).toEqual([
      "change:c/c",
      "remove:c/a",
    ]);
  });

  it("document targets report deletes of documents they sent", () => {
    const s = store(doc("c/a", 1));
    const target = new ListenTarget(4, { kind: "documents", paths: new Set(["c/a"]) }, db);
    target.initial(s);
    expect(target.changesFor([{ path: "c/a", before: doc("c/a", 1), after: null }], s)).toEqual([
      { type: "delete", path: "c/a" },
    ]);
    expect(target.changesFor([{ path: "c/zzz", before: null, after: doc("c/zzz", 1) }], s)).toEqual([]);
  });
});
