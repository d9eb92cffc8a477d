/** PartitionQuery through firebase-admin's `collectionGroup().getPartitions()`, and its refusals. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";
import { adminFirestore } from "./helpers/admin.js";
import { FirestoreRpc } from "./helpers/grpc.js";

let emu: TestEmulator;
let db: ReturnType<typeof adminFirestore>;
let rpc: FirestoreRpc;
let database: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  db = adminFirestore(emu);
  rpc = new FirestoreRpc(emu);
  database = `projects/${emu.projectId}/databases/(default)`;
  const batch = db.batch();
  for (let i = 0; i < 30; i++)
    batch.set(db.doc(`shelves/s${i % 4}/items/i${String(i).padStart(2, "0")}`), { i });
  batch.set(db.doc("other/x"), { i: -1 });
  await batch.commit();
});
afterAll(async () => {
  await db.terminate();
  rpc.close();
  await emu.stop();
});

async function partitionIds(count: number): Promise<string[][]> {
  const parts: string[][] = [];
  for await (const partition of db.collectionGroup("items").getPartitions(count)) {
    parts.push((await partition.toQuery().get()).docs.map((d) => d.ref.path));
  }
  return parts;
}

describe("PartitionQuery", () => {
  it("getPartitions splits a collection group into parts that cover it exactly once", async () => {
    const parts = await partitionIds(4);
    expect(parts).toHaveLength(4);
    const all = parts.flat();
    expect(all).toHaveLength(30);
    expect(new Set(all).size).toBe(30);
    for (const part of parts) expect(part.length).toBeGreaterThanOrEqual(5);
  });

  it("asks for more parts than there are documents: every part still holds something", async () => {
    const parts = await partitionIds(100);
    expect(parts.flat()).toHaveLength(30);
    expect(parts.every((p) => p.length > 0)).toBe(true);
  });

  it("one part needs no request; an empty group gives one empty part", async () => {
    expect(await partitionIds(1)).toEqual([expect.any(Array)]);
    const parts: number[] = [];
    for await (const p of db.collectionGroup("none").getPartitions(3))
      parts.push((await p.toQuery().get()).size);
    expect(parts).toEqual([0]);
  });

  it("pages, and refuses queries production refuses", async () => {
    const structuredQuery = {
      from: [{ collectionId: "items", allDescendants: true }],
      orderBy: [{ field: { fieldPath: "__name__" }, direction: "ASCENDING" }],
    };
    const first = await rpc.unary("PartitionQuery", {
      parent: `${database}/documents`,
      structuredQuery,
      partitionCount: 5,
      pageSize: 3,
    });
    const page = first.response as { partitions: unknown[]; nextPageToken: string };
    expect(page.partitions).toHaveLength(3);
    const second = await rpc.unary("PartitionQuery", {
      parent: `${database}/documents`,
      structuredQuery,
      partitionCount: 5,
      pageSize: 3,
      pageToken: page.nextPageToken,
    });
    expect((second.response as { partitions: unknown[] }).partitions).toHaveLength(2);

    const filtered = await rpc.unary("PartitionQuery", {
      parent: `${database}/documents`,
      structuredQuery: {
        ...structuredQuery,
        where: {
          fieldFilter: { field: { fieldPath: "i" }, op: "GREATER_THAN", value: { integerValue: "3" } },
        },
      },
      partitionCount: 2,
    });
    expect(filtered.code).toBe(3);
    const plain = await rpc.unary("PartitionQuery", {
      parent: `${database}/documents`,
      structuredQuery: { from: [{ collectionId: "items" }] },
      partitionCount: 2,
    });
    expect(plain.code).toBe(3);
    expect(plain.message).toMatch(/collection group/);
  });

  it("answers over REST too", async () => {
    const response = await fetch(`http://${emu.host}:${emu.port}/v1/${database}/documents:partitionQuery`, {
      method: "POST",
      headers: { authorization: "Bearer owner" },
      body: JSON.stringify({
        structuredQuery: { from: [{ collectionId: "items", allDescendants: true }] },
        partitionCount: 2,
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      partitions: Array<{ values: Array<{ referenceValue: string }> }>;
    };
    expect(body.partitions).toHaveLength(2);
    expect(body.partitions[0]!.values[0]!.referenceValue).toMatch(/\/documents\/shelves\/s\d\/items\/i\d\d$/);
  });
});
