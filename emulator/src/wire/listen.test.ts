import { describe, expect, it } from "vitest";
import { decodeListenRequest } from "./listen.js";

const database = "projects/p/databases/(default)";

describe("decodeListenRequest", () => {
  it("adds document and query targets, noting resume tokens in either wire form", () => {
    expect(
      decodeListenRequest({
        database,
        addTarget: {
          targetId: 2,
          documents: { documents: [`${database}/documents/c/a`] },
          resumeToken: "AAE=",
        },
      }),
    ).toEqual({
      kind: "add",
      database: { project: "p", database: "(default)" },
      targetId: 2,
      target: { kind: "documents", paths: ["c/a"] },
      resume: { time: null },
    });
    const query = decodeListenRequest({
      database,
      addTarget: {
        targetType: "query",
        targetId: 4,
        query: { parent: `${database}/documents`, structuredQuery: { from: [{ collectionId: "c" }] } },
        resumeToken: Buffer.alloc(0),
      },
    });
    expect(query).toMatchObject({
      kind: "add",
      targetId: 4,
      target: { kind: "query", parent: "" },
      resume: null,
    });
    expect(decodeListenRequest({ database, removeTarget: 4 })).toEqual({ kind: "remove", targetId: 4 });
    expect(decodeListenRequest({ database })).toEqual({ kind: "none" });
  });

  it("a malformed target is rejected alone, with the reason; a request that is no object fails", () => {
    const reject = (addTarget: Record<string, unknown>, db = database) => {
      const command = decodeListenRequest({ database: db, addTarget });
      if (command.kind !== "reject") throw new Error(`expected a reject, got ${command.kind}`);
      expect(command.targetId).toBe(addTarget.targetId);
      expect(command.error.code).toBe("INVALID_ARGUMENT");
      return command.error.message;
    };
    expect(reject({ targetId: 1 })).toMatch(/needs documents or a structured query/);
    expect(reject({ targetId: 2, documents: { documents: [3] } })).toMatch(/name documents as strings/);
    expect(
      reject({ targetId: 3, documents: { documents: ["projects/q/databases/(default)/documents/c/a"] } }),
    ).toMatch(/is not in database/);
    expect(
      reject({ targetId: 4, query: { parent: `${database}/documents`, structuredQuery: { from: [] } } }),
    ).toMatch(/exactly one collection/);
    expect(reject({ targetId: 5, documents: { documents: [] } }, "nope")).toMatch(/Invalid database name/);
    expect(() => decodeListenRequest("listen")).toThrow(/must be an object/);
  });
});
