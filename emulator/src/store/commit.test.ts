import { describe, expect, it } from "vitest";
import { decodeWrite } from "../wire/write.js";
import { planCommit } from "./commit.js";
import { MemoryStore } from "./memory-store.js";

const db = { project: "p", database: "(default)" };
const name = (path: string) => `projects/p/databases/(default)/documents/${path}`;
const int = (n: number) => ({ integerValue: String(n) });

function commit(store: MemoryStore, writes: Record<string, unknown>[], time: number) {
  const plan = planCommit(
    store,
    writes.map((w) => decodeWrite(w, db)),
    time,
  );
  store.apply(plan.event);
  return plan;
}

describe("planCommit", () => {
  it("applies masks: listed paths are set or deleted, others kept", () => {
    const store = new MemoryStore();
    commit(
      store,
      [
        {
          update: {
            name: name("c/d"),
            fields: { a: int(1), b: int(2), m: { mapValue: { fields: { x: int(1), y: int(2) } } } },
          },
        },
      ],
      10,
    );
    commit(
      store,
      [
        {
          update: { name: name("c/d"), fields: { a: int(10), m: { mapValue: { fields: { x: int(5) } } } } },
          updateMask: { fieldPaths: ["a", "m.x", "b"] },
        },
      ],
      20,
    );
    expect(store.get("c/d")!.fields).toEqual({
      a: int(10),
      m: { mapValue: { fields: { x: int(5), y: int(2) } } },
    });
    expect(store.get("c/d")!.createTime).toBe(10);
    expect(store.get("c/d")!.updateTime).toBe(20);
  });

  it("returns one transform result per transform, in order", () => {
    const store = new MemoryStore();
    const plan = commit(
      store,
      [
        {
          update: { name: name("c/t"), fields: { n: int(1) } },
          updateTransforms: [
            { fieldPath: "n", increment: int(2) },
            { fieldPath: "at", setToServerValue: "REQUEST_TIME" },
            {
              fieldPath: "tags",
              appendMissingElements: { values: [{ stringValue: "a" }, { stringValue: "a" }] },
            },
            { fieldPath: "hi", maximum: { doubleValue: 2.5 } },
          ],
        },
      ],
      5_000_123,
    );
    expect(plan.results[0]!.transformResults).toEqual([
      int(3),
      { timestampValue: { seconds: 5, nanos: 0 } },
      { arrayValue: { values: [{ stringValue: "a" }] } },
      { doubleValue: 2.5 },
    ]);
  });

  it("checks preconditions against earlier writes of the same commit and changes nothing on failure", () => {
    const store = new MemoryStore();
    expect(() =>
      commit(
        store,
        [
          { update: { name: name("c/x"), fields: {} } },
          { update: { name: name("c/x"), fields: {} }, currentDocument: { exists: false } },
        ],
        1,
      ),
    ).toThrow(/already exists/);
    expect(store.get("c/x")).toBeNull();
    expect(() => commit(store, [{ delete: name("c/x"), currentDocument: { exists: true } }], 2)).toThrow(
      /No document to update/,
    );
    commit(store, [{ update: { name: name("c/x"), fields: {} } }], 3);
    expect(() =>
      commit(
        store,
        [{ delete: name("c/x"), currentDocument: { updateTime: { seconds: 0, nanos: 2000 } } }],
        4,
      ),
    ).toThrow(/does not match the required base version/);
  });

  it("keeps the stored version when a write changes nothing, and reports no change", () => {
    const store = new MemoryStore();
    commit(store, [{ update: { name: name("c/same"), fields: { a: int(1) } } }], 1);
    const events: number[] = [];
    store.onChange((e) => events.push(e.changes.length));
    const plan = commit(store, [{ update: { name: name("c/same"), fields: { a: int(1) } } }], 2);
    expect(plan.results[0]!.updateTime).toBe(1);
    expect(events).toEqual([]);
  });

  it("verify writes only check their precondition", () => {
    const store = new MemoryStore();
    commit(store, [{ update: { name: name("c/v"), fields: { a: int(1) } } }], 1);
    const plan = commit(
      store,
      [{ verify: name("c/v"), currentDocument: { updateTime: { seconds: 0, nanos: 1000 } } }],
      2,
    );
    expect(plan.event.changes).toEqual([]);
    expect(() => commit(store, [{ verify: name("c/v"), currentDocument: { exists: false } }], 3)).toThrow(
      /already exists/,
    );
  });
});
