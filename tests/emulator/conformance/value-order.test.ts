/**
 * value_order.json: the official emulator's orderBy over every value type. Each value is written with
 * the raw gRPC client, then read back through firebase-admin's orderBy. Later values get smaller
 * document ids, so values that truly tie come back in reverse label order (by __name__), while any
 * value we wrongly ordered within a tie group would come back in label order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireObject as Raw } from "../../../emulator/src/wire/object.js";
import { startTestEmulator, type TestEmulator } from "../../support/emulator.js";
import { adminFirestore } from "../helpers/admin.js";
import { FirestoreRpc } from "../helpers/grpc.js";
import { officialFixture } from "./official.js";
import { jsonToWire } from "./wire-json.js";

interface Labelled {
  label: string;
  value: Raw;
}
interface Fixture {
  values: { groups: Labelled[][]; rejected: Array<Labelled & { error: string }> };
  paths: { order: string[] };
}

const fixture = officialFixture<Fixture>("value_order.json");
let emu: TestEmulator;
let rpc: FirestoreRpc;
let db: ReturnType<typeof adminFirestore>;

beforeAll(async () => {
  emu = await startTestEmulator();
  rpc = new FirestoreRpc(emu);
  db = adminFirestore(emu);
});
afterAll(async () => {
  rpc.close();
  await db.terminate();
  await emu.stop();
});

const base = () => `projects/${emu.projectId}/databases/(default)`;

function commit(writes: Raw[]) {
  return rpc.unary("Commit", { database: base(), writes });
}

describe("conformance: value_order.json (official emulator)", () => {
  const flat = fixture.values.groups.flatMap((group, g) => group.map((item) => ({ ...item, group: g })));
  const idOf = (i: number) => `v${String(1000 - i).padStart(4, "0")}`;

  it("orderBy ascending and descending match the official groups; ties fall back to __name__", async () => {
    const writes = flat.map((item, i) => ({
      update: {
        name: `${base()}/documents/values/${idOf(i)}`,
        fields: { v: jsonToWire(item.value), label: { stringValue: item.label } },
      },
    }));
    const result = await commit(writes);
    expect(result.ok, result.message).toBe(true);

    const expected = [...flat.keys()]
      .sort((a, b) => flat[a]!.group - flat[b]!.group || b - a)
      .map((i) => flat[i]!.label);
    const asc = await db.collection("values").orderBy("v").get();
    expect(asc.docs.map((d) => d.get("label"))).toEqual(expected);

    const expectedDesc = [...flat.keys()]
      .sort((a, b) => flat[b]!.group - flat[a]!.group || a - b)
      .map((i) => flat[i]!.label);
    const desc = await db.collection("values").orderBy("v", "desc").get();
    expect(desc.docs.map((d) => d.get("label"))).toEqual(expectedDesc);
  });

  for (const rejected of fixture.values.rejected) {
    it(`rejects ${rejected.label} with the official message`, async () => {
      const result = await commit([
        { update: { name: `${base()}/documents/rejected/x`, fields: { v: jsonToWire(rejected.value) } } },
      ]);
      expect(result.code).toBe(3);
      expect(result.message).toBe(rejected.error);
    });
  }

  it("collection-group default order (__name__) matches the official path order", async () => {
    const shuffled = [...fixture.paths.order].reverse();
    const result = await commit(
      shuffled.map((path) => ({
        update: { name: `${base()}/documents/${path}`, fields: { p: { stringValue: path } } },
      })),
    );
    expect(result.ok, result.message).toBe(true);
    const snap = await db.collectionGroup("items").get();
    expect(snap.docs.map((d) => d.ref.path)).toEqual(fixture.paths.order);
  });
});
