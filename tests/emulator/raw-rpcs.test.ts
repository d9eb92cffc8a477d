/** RPCs the SDKs here rarely or never use, which other clients do: BeginTransaction, Rollback, and the rest. */
import { FakeClock, silentLogger, startEmulator } from "@hearth/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireObject as Raw } from "../../emulator/src/wire/object.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { FirestoreRpc } from "./helpers/grpc.js";

let emu: TestEmulator;
let rpc: FirestoreRpc;
let database: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  rpc = new FirestoreRpc(emu);
  database = `projects/${emu.projectId}/databases/(default)`;
});
afterAll(async () => {
  rpc.close();
  await emu.stop();
});

const write = (path: string, n: number) => ({
  update: { name: `${database}/documents/${path}`, fields: { n: { integerValue: String(n) } } },
});

describe("transactions by id", () => {
  it("BeginTransaction + reads + Commit; a write in between waits for the transaction's lock", async () => {
    await rpc.unary("Commit", { database, writes: [write("tx/a", 1)] });
    const begin = await rpc.unary("BeginTransaction", { database, options: { readWrite: {} } });
    const transaction = (begin.response as Raw).transaction as Buffer;
    expect(transaction.length).toBeGreaterThan(0);
    await rpc.stream("BatchGetDocuments", {
      database,
      documents: [`${database}/documents/tx/a`],
      transaction,
    });
    const outside = rpc.unary("Commit", { database, writes: [write("tx/a", 2)] });
    const commit = await rpc.unary("Commit", { database, writes: [write("tx/a", 3)], transaction });
    expect(commit.ok).toBe(true);
    expect((await outside).ok).toBe(true);
    const read = await rpc.stream("BatchGetDocuments", {
      database,
      documents: [`${database}/documents/tx/a`],
    });
    expect((((read.response as Raw[])[0]!.found as Raw).fields as Raw).n).toMatchObject({
      integerValue: "2",
    });
  });

  it("Rollback ends a transaction; its id is then unknown (with the text admin retries on)", async () => {
    const begin = await rpc.unary("BeginTransaction", { database });
    const transaction = (begin.response as Raw).transaction as Buffer;
    expect((await rpc.unary("Rollback", { database, transaction })).ok).toBe(true);
    expect((await rpc.unary("Rollback", { database, transaction })).ok).toBe(true);
    const commit = await rpc.unary("Commit", { database, writes: [write("tx/b", 1)], transaction });
    expect(commit.code).toBe(3);
    expect(commit.message).toMatch(/transaction has expired/);
  });

  it("read-only transactions refuse writes", async () => {
    const begin = await rpc.unary("BeginTransaction", { database, options: { readOnly: {} } });
    const transaction = (begin.response as Raw).transaction as Buffer;
    const commit = await rpc.unary("Commit", { database, writes: [write("tx/c", 1)], transaction });
    expect(commit.code).toBe(3);
  });
});

describe("other RPCs", () => {
  it("unimplemented RPCs answer UNIMPLEMENTED", async () => {
    const result = await rpc.stream("ExecutePipeline", { database });
    expect(result.code).toBe(12);
  });

  it("a malformed Commit is refused with INVALID_ARGUMENT naming the problem; none of its writes apply", async () => {
    const commit = await rpc.unary("Commit", {
      database,
      writes: [write("malformed/a", 1), { ...write("malformed/b", 1), updateMask: { fieldPaths: ["a..b"] } }],
    });
    expect(commit.code).toBe(3);
    expect(commit.message).toMatch(/Invalid property path "a\.\.b"/);
    const read = await rpc.stream("BatchGetDocuments", {
      database,
      documents: [`${database}/documents/malformed/a`],
    });
    expect((read.response as Raw[])[0]!.missing).toBeDefined();
    const query = await rpc.stream("RunQuery", {
      parent: `${database}/documents`,
      structuredQuery: { from: [{ collectionId: "c" }], orderBy: [{ field: { fieldPath: "" } }] },
    });
    expect(query.code).toBe(3);
    expect(query.message).toMatch(/Invalid property path ""/);
  });

  it("metadata RPCs need admin credentials", async () => {
    expect((await rpc.unary("ListCollectionIds", { parent: `${database}/documents` }, false)).code).toBe(7);
    expect((await rpc.unary("BatchWrite", { database, writes: [write("x/y", 1)] }, false)).code).toBe(7);
    expect(
      (
        await rpc.unary(
          "ListDocuments",
          { parent: `${database}/documents`, collectionId: "tx", showMissing: true },
          false,
        )
      ).code,
    ).toBe(7);
  });
});

describe("injected clock", () => {
  it("commit and update times come from the emulator's clock", async () => {
    const clock = new FakeClock(1_600_000_000_000_000);
    const emulator = await startEmulator({ port: 0, logger: silentLogger, clock });
    const local = new FirestoreRpc({
      host: emulator.host,
      port: emulator.port,
      projectId: "demo-clock",
      stop: () => emulator.stop(),
    });
    const db = "projects/demo-clock/databases/(default)";
    clock.advance(5_000_000);
    const result = await local.unary("Commit", {
      database: db,
      writes: [{ update: { name: `${db}/documents/c/d`, fields: {} } }],
    });
    expect((result.response as Raw).commitTime).toEqual({ seconds: "1600000005", nanos: 1000 });
    local.close();
    await emulator.stop();
  });
});

describe("transactions by id: contention before preconditions", () => {
  it("a create in a transaction whose query went stale is ABORTED (retryable), not ALREADY_EXISTS", async () => {
    // A document read by name is locked, so nothing changes it; a query's new match is not.
    const query = await rpc.stream("RunQuery", {
      parent: `${database}/documents`,
      structuredQuery: { from: [{ collectionId: "members" }] },
      newTransaction: { readWrite: {} },
    });
    const transaction = (query.response as Raw[])[0]!.transaction as Buffer;
    const name = `${database}/documents/members/ivy`;
    const create = { update: { name, fields: {} }, currentDocument: { exists: false } };
    await rpc.unary("Commit", { database, writes: [create] });
    expect((await rpc.unary("Commit", { database, writes: [create], transaction })).code).toBe(10);
  });
});
