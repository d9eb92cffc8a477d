import { describe, expect, it } from "vitest";
import { type EmulatorError, isEmulatorError } from "../shared/errors.js";
import {
  decodeBatchGetRequest,
  decodeCommitRequest,
  decodeCreateDocumentRequest,
  decodeListDocumentsRequest,
  decodeRunQueryRequest,
  decodeUpdateDocumentRequest,
} from "./requests.js";
import { decodeWriteRequest } from "./write-stream.js";

const database = "projects/p/databases/(default)";
const name = (path: string) => `${database}/documents/${path}`;

/** The decoder refuses the message with INVALID_ARGUMENT and a message matching `text`. */
function expectInvalid(decode: () => unknown, text: RegExp): void {
  let caught: unknown;
  try {
    decode();
  } catch (error) {
    caught = error;
  }
  expect(isEmulatorError(caught), `expected an EmulatorError, got ${String(caught)}`).toBe(true);
  expect((caught as EmulatorError).code).toBe("INVALID_ARGUMENT");
  expect((caught as EmulatorError).message).toMatch(text);
}

describe("decodeCommitRequest", () => {
  it("reads a proto-loader Commit: oneof discriminators, Buffers, {seconds, nanos}", () => {
    const req = decodeCommitRequest({
      database,
      transaction: Buffer.from([1, 2]),
      writes: [
        {
          operation: "update",
          update: { name: name("c/a"), fields: { n: { valueType: "integerValue", integerValue: "7" } } },
          updateMask: { fieldPaths: ["n"] },
          updateTransforms: [
            { fieldPath: "at", transformType: "setToServerValue", setToServerValue: "REQUEST_TIME" },
          ],
          currentDocument: { conditionType: "updateTime", updateTime: { seconds: "1", nanos: 2000 } },
        },
        { operation: "delete", delete: name("c/b") },
      ],
    });
    expect(req.database).toEqual({ project: "p", database: "(default)" });
    expect(req.transaction).toEqual(Buffer.from([1, 2]));
    expect(req.writes[0]).toMatchObject({
      kind: "set",
      path: "c/a",
      fields: { n: { integerValue: "7" } },
      mask: [["n"]],
      transforms: [{ path: ["at"], kind: "serverTime" }],
      precondition: { updateTime: 1_000_002 },
    });
    expect(req.writes[1]).toMatchObject({ kind: "delete", path: "c/b", precondition: null });
  });

  it("reads the same Commit in Proto3 JSON: base64 bytes, RFC 3339 times, no discriminators", () => {
    const req = decodeCommitRequest({
      database,
      transaction: Buffer.from([1, 2]).toString("base64"),
      writes: [
        {
          update: { name: name("c/a"), fields: { n: { integerValue: "7" } } },
          currentDocument: { updateTime: "1970-01-01T00:00:01.000002Z" },
        },
      ],
    });
    expect(req.transaction).toEqual(Buffer.from([1, 2]));
    expect(req.writes[0]).toMatchObject({ kind: "set", precondition: { updateTime: 1_000_002 } });
  });

  it("refuses malformed commits, naming what is wrong", () => {
    expectInvalid(() => decodeCommitRequest("commit"), /A CommitRequest must be an object/);
    expectInvalid(() => decodeCommitRequest({ writes: [] }), /Invalid database name ""/);
    expectInvalid(() => decodeCommitRequest({ database, writes: {} }), /writes must be a list/);
    expectInvalid(() => decodeCommitRequest({ database, writes: [{}] }), /must have an operation/);
    expectInvalid(
      () => decodeCommitRequest({ database, writes: [{ delete: 7 }] }),
      /delete must be a string/,
    );
    expectInvalid(
      () =>
        decodeCommitRequest({ database, writes: [{ delete: name("c/a"), updateMask: { fieldPaths: [] } }] }),
      /update mask is only allowed on update writes/,
    );
    expectInvalid(
      () => decodeCommitRequest({ database, writes: [{ update: { name: name("c/a"), fields: { n: 1 } } }] }),
      /Invalid value for property n/,
    );
    expectInvalid(
      () =>
        decodeCommitRequest({
          database,
          writes: [{ update: { name: "projects/other/databases/(default)/documents/c/a" } }],
        }),
      /is not in database "projects\/p\/databases\/\(default\)"/,
    );
    expectInvalid(
      () =>
        decodeCommitRequest({
          database,
          writes: [
            {
              update: { name: name("c/a") },
              updateTransforms: [{ fieldPath: "n", increment: { stringValue: "1" } }],
            },
          ],
        }),
      /increment operand for field n must be a number/,
    );
    expectInvalid(
      () =>
        decodeCommitRequest({
          database,
          writes: [{ update: { name: name("c/a") }, updateMask: { fieldPaths: ["a..b"] } }],
        }),
      /Invalid property path "a..b"/,
    );
    expectInvalid(
      () => decodeCommitRequest({ database, writes: [], transaction: 12 }),
      /transaction must be bytes/,
    );
  });
});

describe("read and query requests", () => {
  it("BatchGet: names become paths; a transaction or a new one is the consistency", () => {
    const req = decodeBatchGetRequest({
      database,
      documents: [name("c/a")],
      newTransaction: { readOnly: {} },
    });
    expect(req.documents).toEqual([
      { name: name("c/a"), database: { project: "p", database: "(default)" }, path: "c/a" },
    ]);
    expect(req.consistency).toEqual({ kind: "newTransaction", readOnly: true, retryOf: null });
    expect(decodeBatchGetRequest({ database, transaction: "AQI=" }).consistency).toEqual({
      kind: "transaction",
      id: Buffer.from([1, 2]),
    });
    expectInvalid(
      () => decodeBatchGetRequest({ database, documents: [name("c")] }),
      /Document name .* is invalid/,
    );
    expectInvalid(() => decodeBatchGetRequest({ database, documents: "c/a" }), /documents must be a list/);
  });

  it("a read-write retry names the attempt it repeats; a read time reads the past", () => {
    const retry = decodeBatchGetRequest({
      database,
      documents: [],
      newTransaction: { readWrite: { retryTransaction: "AQI=" } },
    });
    expect(retry.consistency).toEqual({
      kind: "newTransaction",
      readOnly: false,
      retryOf: Buffer.from([1, 2]),
    });
    const past = decodeBatchGetRequest({ database, documents: [], readTime: "2026-01-02T03:04:05.000006Z" });
    expect(past.consistency).toEqual({
      kind: "readTime",
      time: Date.parse("2026-01-02T03:04:05Z") * 1000 + 6,
    });
    expectInvalid(
      () => decodeBatchGetRequest({ database, documents: [], readTime: { seconds: "x" } }),
      /readTime is not a timestamp/,
    );
  });

  it("RunQuery needs a structured query under a document or database parent", () => {
    expectInvalid(
      () => decodeRunQueryRequest({ parent: `${database}/documents` }),
      /needs a structuredQuery/,
    );
    expectInvalid(
      () =>
        decodeRunQueryRequest({
          parent: `${database}/documents/c`,
          structuredQuery: { from: [{ collectionId: "c" }] },
        }),
      /not a document/,
    );
    const req = decodeRunQueryRequest({
      parent: `${database}/documents/c/a`,
      structuredQuery: { from: [{ collectionId: "sub" }] },
    });
    expect(req.parent.path).toBe("c/a");
    expect(req.query.collectionId).toBe("sub");
  });

  it("ListDocuments needs a collection id; page sizes are integers", () => {
    expectInvalid(
      () => decodeListDocumentsRequest({ parent: `${database}/documents` }),
      /needs a collectionId/,
    );
    expectInvalid(
      () =>
        decodeListDocumentsRequest({ parent: `${database}/documents`, collectionId: "c", pageSize: "many" }),
      /pageSize must be an integer/,
    );
  });
});

describe("single-document requests", () => {
  it("CreateDocument decodes the document's fields; UpdateDocument carries one decoded write", () => {
    const create = decodeCreateDocumentRequest({
      parent: `${database}/documents`,
      collectionId: "c",
      document: { fields: { a: { booleanValue: true } } },
    });
    expect(create).toMatchObject({
      collectionId: "c",
      documentId: "",
      fields: { a: { booleanValue: true } },
    });
    expectInvalid(
      () => decodeCreateDocumentRequest({ parent: `${database}/documents`, collectionId: "c", document: [] }),
      /document must be an object/,
    );
    const update = decodeUpdateDocumentRequest({
      document: { name: name("c/a"), fields: {} },
      updateMask: { fieldPaths: ["x"] },
      currentDocument: { exists: true },
    });
    expect(update.write).toMatchObject({
      kind: "set",
      path: "c/a",
      mask: [["x"]],
      precondition: { exists: true },
    });
    expectInvalid(
      () => decodeUpdateDocumentRequest({ document: { fields: {} } }),
      /Invalid resource name ""/,
    );
  });
});

describe("decodeWriteRequest", () => {
  it("leaves the database check to the stream: writes keep the database they name", () => {
    expect(decodeWriteRequest({ database }).database).toEqual({ project: "p", database: "(default)" });
    const later = decodeWriteRequest({
      writes: [{ delete: "projects/q/databases/(default)/documents/c/a" }],
    });
    expect(later.database).toBeNull();
    expect(later.writes[0]!.database).toEqual({ project: "q", database: "(default)" });
    expectInvalid(() => decodeWriteRequest([]), /A WriteRequest must be an object/);
    expectInvalid(() => decodeWriteRequest({ database: "nope" }), /Invalid database name "nope"/);
  });
});
