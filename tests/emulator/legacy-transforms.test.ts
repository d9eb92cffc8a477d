/**
 * Legacy transform writes: before `updateTransforms`, SDKs sent a sentinel (serverTimestamp, increment,
 * arrayUnion, arrayRemove) as a separate `transform` write after the set or update of the same document.
 * Rules judge such a pair as one write whose `request.resource` is the state after both, as production
 * does. Each shape is sent raw over gRPC (and one over REST) to rules that allow only the combined
 * result, with a denial beside each allow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireObject as Raw } from "../../emulator/src/wire/object.js";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { FirestoreRpc } from "./helpers/grpc.js";

const RULES = `rules_version = '2';
service cloud.firestore {
  match /databases/{db}/documents {
    match /{document=**} {
      allow read: if true;
    }
    // An update may only take 'b' out of items.
    match /lists/{id} {
      allow update: if request.resource.data.items == resource.data.items.removeAll(['b'])
        && request.resource.data.diff(resource.data).affectedKeys().hasOnly(['items']);
    }
    // A counter starts at 1 with its creation time and then goes up by one, stamped with the time.
    match /counters/{id} {
      allow create: if request.resource.data.n == 1 && request.resource.data.at == request.time;
      allow update: if request.resource.data.n == resource.data.n + 1
        && request.resource.data.at == request.time;
    }
  }
}`;

let emu: TestEmulator;
let rpc: FirestoreRpc;
let database: string;

beforeAll(async () => {
  emu = await startTestEmulator({ rules: RULES });
  rpc = new FirestoreRpc(emu);
  database = `projects/${emu.projectId}/databases/(default)`;
});
afterAll(async () => {
  rpc.close();
  await emu.stop();
});

const name = (path: string) => `${database}/documents/${path}`;
const int = (n: number) => ({ integerValue: String(n) });
const str = (s: string) => ({ stringValue: s });
const list = (...xs: string[]) => ({ arrayValue: { values: xs.map(str) } });

/** An update of no fields (empty mask), as older SDKs sent ahead of a transform write. */
const emptyUpdate = (path: string) => ({
  update: { name: name(path), fields: {} },
  updateMask: { fieldPaths: [] },
  currentDocument: { exists: true },
});
const transform = (path: string, fieldTransforms: Raw[], currentDocument?: Raw) => ({
  transform: { document: name(path), fieldTransforms },
  ...(currentDocument ? { currentDocument } : {}),
});
const removeB = { fieldPath: "items", removeAllFromArray: { values: [str("b")] } };
const removeC = { fieldPath: "items", removeAllFromArray: { values: [str("c")] } };
const stamp = { fieldPath: "at", setToServerValue: "REQUEST_TIME" };
const increment = (n: number) => ({ fieldPath: "n", increment: int(n) });

/** Seeds a document with the admin token (rules bypassed). */
async function seed(path: string, fields: Raw): Promise<void> {
  const result = await rpc.unary("Commit", { database, writes: [{ update: { name: name(path), fields } }] });
  expect(result.ok).toBe(true);
}

async function read(path: string): Promise<Raw | null> {
  const result = await rpc.stream("BatchGetDocuments", { database, documents: [name(path)] });
  const [message] = result.response as Raw[];
  return ((message?.found as Raw | undefined)?.fields as Raw | undefined) ?? null;
}

/** Commits as an unauthenticated client, so rules apply. */
const commit = (writes: Raw[]) => rpc.unary("Commit", { database, writes }, false);

describe("legacy update + transform pairs are judged as one write", () => {
  it("update with an empty mask + arrayRemove: allowed when the result is the rule's, denied otherwise", async () => {
    await seed("lists/a", { items: list("a", "b", "c") });
    const denied = await commit([emptyUpdate("lists/a"), transform("lists/a", [removeC])]);
    expect(denied.code).toBe(7);
    expect((await read("lists/a"))?.items).toMatchObject(list("a", "b", "c"));

    const allowed = await commit([emptyUpdate("lists/a"), transform("lists/a", [removeB])]);
    expect(allowed.message).toBe("");
    const results = (allowed.response as Raw).writeResults as Raw[];
    // Still one result per write sent: the transform's carries the transform results.
    expect(results).toHaveLength(2);
    expect((results[1]!.transformResults as Raw[])[0]).toMatchObject(list("a", "c"));
    expect((await read("lists/a"))?.items).toMatchObject(list("a", "c"));
  });

  it("the transform carrying its own exists precondition, as the old web SDK sent it", async () => {
    await seed("lists/p", { items: list("b", "x") });
    const denied = await commit([emptyUpdate("lists/p"), transform("lists/p", [removeC], { exists: true })]);
    expect(denied.code).toBe(7);
    const allowed = await commit([emptyUpdate("lists/p"), transform("lists/p", [removeB], { exists: true })]);
    expect(allowed.ok).toBe(true);
    expect((await read("lists/p"))?.items).toMatchObject(list("x"));
  });

  it("update with a partial mask + increment and server time", async () => {
    await seed("counters/partial", { n: int(4), at: { nullValue: "NULL_VALUE" }, note: str("") });
    const update = (note: string) => ({
      update: { name: name("counters/partial"), fields: { note: str(note) } },
      updateMask: { fieldPaths: ["note"] },
      currentDocument: { exists: true },
    });
    const denied = await commit([update("two"), transform("counters/partial", [increment(2), stamp])]);
    expect(denied.code).toBe(7);
    const allowed = await commit([update("one"), transform("counters/partial", [increment(1), stamp])]);
    expect(allowed.ok).toBe(true);
    expect(await read("counters/partial")).toMatchObject({ n: int(5), note: str("one") });
  });

  it("set + transform creates what the create rule asks for; the set alone is refused", async () => {
    const set = (path: string) => ({ update: { name: name(path), fields: { n: int(1) } } });
    const alone = await commit([set("counters/set")]);
    expect(alone.code).toBe(7);
    expect(await read("counters/set")).toBeNull();
    const allowed = await commit([set("counters/set"), transform("counters/set", [stamp])]);
    expect(allowed.ok).toBe(true);
    const fields = await read("counters/set");
    expect(fields?.n).toMatchObject(int(1));
    expect(fields?.at).toHaveProperty("timestampValue");
  });

  it("create (exists: false) + transform, and set with merge + transform", async () => {
    const create = {
      update: { name: name("counters/created"), fields: { n: int(1) } },
      currentDocument: { exists: false },
    };
    expect((await commit([create])).code).toBe(7);
    expect((await commit([create, transform("counters/created", [stamp])])).ok).toBe(true);

    const merge = (n: number) => ({
      update: { name: name("counters/created"), fields: { n: int(n) } },
      updateMask: { fieldPaths: ["n"] },
    });
    expect((await commit([merge(3), transform("counters/created", [stamp])])).code).toBe(7);
    expect((await commit([merge(2), transform("counters/created", [stamp])])).ok).toBe(true);
    expect((await read("counters/created"))?.n).toMatchObject(int(2));
  });

  it("a transform alone, with and without preconditions", async () => {
    await seed("counters/alone", { n: int(1), at: { nullValue: "NULL_VALUE" } });
    expect((await commit([transform("counters/alone", [increment(2), stamp])])).code).toBe(7);
    expect((await commit([transform("counters/alone", [increment(1), stamp])])).ok).toBe(true);

    const missing = await commit([transform("counters/none", [increment(1), stamp], { exists: true })]);
    expect(missing.code).toBe(5);
    expect(await read("counters/none")).toBeNull();
    const created = await commit([transform("counters/none", [increment(1), stamp])]);
    expect(created.ok).toBe(true);

    const stored = await rpc.stream("BatchGetDocuments", { database, documents: [name("counters/alone")] });
    const updateTime = ((stored.response as Raw[])[0]!.found as Raw).updateTime as Raw;
    const stale = await commit([
      transform("counters/alone", [increment(1), stamp], { updateTime: { seconds: 1, nanos: 0 } }),
    ]);
    expect(stale.code).toBe(9);
    const current = await commit([transform("counters/alone", [increment(1), stamp], { updateTime })]);
    expect(current.ok).toBe(true);
    expect((await read("counters/alone"))?.n).toMatchObject(int(3));
  });

  it("a denied pair in a batch changes nothing, and a pair beside another document's write is judged alone", async () => {
    await seed("lists/batch", { items: list("b", "c") });
    const denied = await commit([
      transform("counters/beside", [increment(1), stamp]),
      emptyUpdate("lists/batch"),
      transform("lists/batch", [removeC]),
    ]);
    expect(denied.code).toBe(7);
    expect(await read("counters/beside")).toBeNull();
    const allowed = await commit([
      transform("counters/beside", [increment(1), stamp]),
      emptyUpdate("lists/batch"),
      transform("lists/batch", [removeB]),
    ]);
    expect(allowed.ok).toBe(true);
    expect((await read("lists/batch"))?.items).toMatchObject(list("c"));
  });

  it("over REST (Proto3 JSON) the same pair is allowed, and its denial refused", async () => {
    await seed("lists/rest", { items: list("a", "b") });
    const post = (fieldTransforms: Raw[]) =>
      fetch(`http://${emu.host}:${emu.port}/v1/${database}/documents:commit`, {
        method: "POST",
        body: JSON.stringify({
          writes: [emptyUpdate("lists/rest"), transform("lists/rest", fieldTransforms)],
        }),
      });
    expect((await post([removeC])).status).toBe(403);
    const allowed = await post([removeB]);
    expect(allowed.status).toBe(200);
    const body = (await allowed.json()) as { writeResults: Raw[] };
    expect(body.writeResults).toHaveLength(2);
    expect((await read("lists/rest"))?.items).toMatchObject(list("a"));
  });
});
