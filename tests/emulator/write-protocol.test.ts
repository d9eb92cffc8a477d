/** The Write stream's sequences (PROTOCOL.md §4), checked on the wire with a raw gRPC client. */
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

const update = (path: string, extra: Raw = {}) => ({
  update: { name: `${database}/documents/${path}`, fields: { v: { integerValue: "1" } } },
  ...extra,
});

describe("Write stream", () => {
  it("handshake, then one answer per batch with a token, a commit time and one result per write", async () => {
    const stream = rpc.bidi("Write", false);
    stream.send({ database });
    await stream.until((r) => r.length >= 1);
    expect(stream.received[0]!.streamToken).toBeTruthy();
    expect(stream.received[0]!.writeResults ?? []).toEqual([]);
    stream.send({
      streamToken: stream.received[0]!.streamToken,
      writes: [
        update("w/a", { updateTransforms: [{ fieldPath: "n", increment: { integerValue: "2" } }] }),
        { delete: `${database}/documents/w/b` },
      ],
    });
    await stream.until((r) => r.length >= 2);
    const answer = stream.received[1]!;
    expect(answer.streamToken).toBeTruthy();
    expect(answer.commitTime).toBeTruthy();
    const results = answer.writeResults as Raw[];
    expect(results).toHaveLength(2);
    expect(results[0]!.updateTime).toBeTruthy();
    expect((results[0]!.transformResults as Raw[]).map((v) => v.integerValue)).toEqual(["2"]);
    expect(results[1]!.updateTime).toBeUndefined();
    stream.close();
  });

  it("a failing batch ends the stream with its status; batches pipelined after it are not applied", async () => {
    const stream = rpc.bidi("Write", false);
    stream.send({ database });
    await stream.until((r) => r.length >= 1);
    const token = stream.received[0]!.streamToken;
    stream.send({ streamToken: token, writes: [update("p/first")] });
    stream.send({ streamToken: token, writes: [update("p/missing", { currentDocument: { exists: true } })] });
    stream.send({ streamToken: token, writes: [update("p/third")] });
    expect(await stream.status).toEqual({
      code: 5,
      details: `No document to update: ${database}/documents/p/missing`,
    });
    expect(stream.received).toHaveLength(2);
    const get = await rpc.stream("BatchGetDocuments", {
      database,
      documents: ["p/first", "p/missing", "p/third"].map((p) => `${database}/documents/${p}`),
    });
    const found = (get.response as Raw[])
      .filter((m) => m.found)
      .map((m) => ((m.found as Raw).name as string).split("/").pop());
    expect(found).toEqual(["first"]);
    stream.close();
  });
});
