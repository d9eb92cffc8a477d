/** The Listen stream's message sequences (PROTOCOL.md §3), checked on the wire with a raw gRPC client. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireObject as Raw } from "../../emulator/src/wire/object.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { type BidiStream, FirestoreRpc } from "./helpers/grpc.js";

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

/** A compact label per message: "ADD 2", "RESET 2", "DOC c/a 2", "CURRENT 2", "GLOBAL", ... */
function label(m: Raw): string {
  const tc = m.targetChange as Raw | undefined;
  if (tc) {
    const ids = ((tc.targetIds as number[] | undefined) ?? []).join(",");
    const type = (tc.targetChangeType as string | undefined) ?? "NO_CHANGE";
    if (type === "NO_CHANGE" && ids === "") return tc.readTime ? "GLOBAL" : "NO_CHANGE";
    const cause = tc.cause ? ` cause=${(tc.cause as Raw).code}` : "";
    return `${type} ${ids}${cause}`;
  }
  const path = (name: unknown) => String(name).replace(`${database}/documents/`, "");
  if (m.documentChange) {
    const dc = m.documentChange as Raw;
    return `DOC ${path((dc.document as Raw).name)} ${((dc.targetIds as number[] | undefined) ?? []).join(",")}`;
  }
  if (m.documentDelete) return `DELETE ${path((m.documentDelete as Raw).document)}`;
  if (m.documentRemove) return `REMOVE_DOC ${path((m.documentRemove as Raw).document)}`;
  return JSON.stringify(m);
}

const commit = (writes: Raw[]) => rpc.unary("Commit", { database, writes });
const set = (path: string, fields: Raw) =>
  commit([{ update: { name: `${database}/documents/${path}`, fields } }]);

async function labels(stream: BidiStream, count: number): Promise<string[]> {
  await stream.until((r) => r.length >= count);
  return stream.received.slice(0, count).map(label);
}

describe("Listen stream", () => {
  it("documents target: ADD, documents, CURRENT with a token, then a global snapshot", async () => {
    await set("listen/a", { v: { integerValue: "1" } });
    const stream = rpc.bidi("Listen", false);
    stream.send({
      database,
      addTarget: { targetId: 2, documents: { documents: [`${database}/documents/listen/a`] } },
    });
    expect(await labels(stream, 4)).toEqual(["ADD 2", "DOC listen/a 2", "CURRENT 2", "GLOBAL"]);
    const current = stream.received[2]!.targetChange as Raw;
    expect((current.resumeToken as Buffer).length).toBeGreaterThan(0);
    stream.close();
  });

  it("a resumed target is RESET before its documents are sent again", async () => {
    const stream = rpc.bidi("Listen", false);
    stream.send({
      database,
      addTarget: {
        targetId: 4,
        documents: { documents: [`${database}/documents/listen/a`] },
        resumeToken: Buffer.from([1, 2, 3]),
      },
    });
    expect(await labels(stream, 5)).toEqual(["ADD 4", "RESET 4", "DOC listen/a 4", "CURRENT 4", "GLOBAL"]);
    stream.close();
  });

  it("live changes: document change, removal from the query, delete, each followed by a global snapshot", async () => {
    const stream = rpc.bidi("Listen", false);
    stream.send({
      database,
      addTarget: {
        targetId: 6,
        query: {
          parent: `${database}/documents`,
          structuredQuery: {
            from: [{ collectionId: "live" }],
            where: {
              fieldFilter: { field: { fieldPath: "on" }, op: "EQUAL", value: { booleanValue: true } },
            },
          },
        },
      },
    });
    await labels(stream, 3);
    await set("live/x", { on: { booleanValue: true } });
    await set("live/x", { on: { booleanValue: false } });
    await set("live/y", { on: { booleanValue: true } });
    await commit([{ delete: `${database}/documents/live/y` }]);
    expect(await labels(stream, 11)).toEqual([
      "ADD 6",
      "CURRENT 6",
      "GLOBAL",
      "DOC live/x 6",
      "GLOBAL",
      "REMOVE_DOC live/x",
      "GLOBAL",
      "DOC live/y 6",
      "GLOBAL",
      "DELETE live/y",
      "GLOBAL",
    ]);
    const change = stream.received[3]!.documentChange as Raw;
    const global = stream.received[4]!.targetChange as Raw;
    const toMicros = (t: Raw) => Number(t.seconds) * 1e6 + Number(t.nanos ?? 0) / 1000;
    expect(toMicros(global.readTime as Raw)).toBeGreaterThanOrEqual(
      toMicros((change.document as Raw).updateTime as Raw),
    );
    stream.close();
  });

  it("a bad target is closed with a cause; the stream keeps serving other targets; removals are acknowledged", async () => {
    const stream = rpc.bidi("Listen", false);
    stream.send({
      database,
      addTarget: {
        targetId: 8,
        query: {
          parent: `${database}/documents`,
          structuredQuery: { from: [{ collectionId: "c" }], limit: { value: -1 } },
        },
      },
    });
    stream.send({
      database,
      addTarget: { targetId: 10, documents: { documents: [`${database}/documents/listen/none`] } },
    });
    stream.send({ database, removeTarget: 10 });
    expect(await labels(stream, 5)).toEqual([
      "REMOVE 8 cause=3",
      "ADD 10",
      "CURRENT 10",
      "GLOBAL",
      "REMOVE 10",
    ]);
    stream.close();
  });

  it("clearing the project's data deletes documents from live targets", async () => {
    await set("clear/a", { v: { integerValue: "1" } });
    const stream = rpc.bidi("Listen", false);
    stream.send({
      database,
      addTarget: {
        targetId: 12,
        query: { parent: `${database}/documents`, structuredQuery: { from: [{ collectionId: "clear" }] } },
      },
    });
    await labels(stream, 4);
    const res = await fetch(
      `http://${emu.host}:${emu.port}/emulator/v1/projects/${emu.projectId}/databases/(default)/documents`,
      {
        method: "DELETE",
      },
    );
    expect(res.status).toBe(200);
    expect((await labels(stream, 6)).slice(4)).toEqual(["DELETE clear/a", "GLOBAL"]);
    stream.close();
  });
});
