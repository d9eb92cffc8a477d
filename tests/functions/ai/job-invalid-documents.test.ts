import * as logger from "firebase-functions/logger";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { closeUsagePeriodWith } from "../../../functions/src/jobs/close-usage-period.js";
import { settleReservations } from "../../../functions/src/jobs/settle-reservations.js";
import { type AiTestEnv, newId, seedOrg, startAiTestEnv } from "./support.js";

/**
 * Jobs meet documents that do not fit their schemas (written by hand, by an older version, or corrupted):
 * each is logged once with its path and failing fields and skipped, and the job finishes the rest.
 */
vi.mock("firebase-functions/logger", async (original) => ({
  ...(await original<typeof import("firebase-functions/logger")>()),
  error: vi.fn(),
}));

let env: AiTestEnv;
beforeAll(async () => {
  env = await startAiTestEnv();
});
afterAll(() => env?.stop());
beforeEach(() => vi.mocked(logger.error).mockClear());

/** The `document.invalid` log lines: source, path and fields. */
function invalidLogs() {
  return vi
    .mocked(logger.error)
    .mock.calls.filter(([event]) => event === "document.invalid")
    .map(([, fields]) => fields as { source: string; path: string; fields: { field: string }[] });
}

const WHOLE_SHARD = {
  reservedCalls: 0,
  reservedCostMicros: 0,
  allotCalls: 10,
  allotCostMicros: 100_000,
  capCalls: 100,
  capCostMicros: 1_000_000,
};

async function februaryShard(orgId: string, n: number, counters: Record<string, unknown>) {
  await env.db
    .doc(`orgs/${orgId}/usage/2026-02/shards/${n}`)
    .set({ inputTokens: 10, outputTokens: 20, ...WHOLE_SHARD, ...counters });
}

describe("closeUsagePeriod with invalid documents", () => {
  it("skips an invalid org and an org with an invalid shard, logs both, and closes the valid ones", async () => {
    const valid = await seedOrg(env.db);
    await februaryShard(valid, 0, { calls: 2, costMicros: 300 });
    await februaryShard(valid, 5, { calls: 1, costMicros: 100 });
    const badOrg = await seedOrg(env.db);
    await env.db.doc(`orgs/${badOrg}`).update({ plan: "platinum" });
    await februaryShard(badOrg, 0, { calls: 1, costMicros: 100 });
    const badShard = await seedOrg(env.db);
    await februaryShard(badShard, 0, { calls: 1, costMicros: 100 });
    await februaryShard(badShard, 1, { calls: "three", costMicros: 100 });

    const job = closeUsagePeriodWith(() => {
      throw new Error("no overage to report on the free plan");
    });
    const result = await job({ db: env.db, clock: { now: () => new Date("2026-03-01T02:00:00Z") } });

    expect(result).toMatchObject({ orgs: 2, closed: 1, invalid: 2, overageFailed: 0 });
    expect((await env.db.doc(`orgs/${valid}/usage/2026-02`).get()).data()).toMatchObject({
      aiCalls: 3,
      aiCostMicros: 400,
    });
    // Neither month is closed on a total it could not check.
    for (const orgId of [badOrg, badShard]) {
      expect((await env.db.doc(`orgs/${orgId}/usage/2026-02`).get()).exists).toBe(false);
    }
    expect(invalidLogs()).toEqual([
      expect.objectContaining({
        source: "closeUsagePeriod",
        path: `orgs/${badOrg}`,
        fields: expect.arrayContaining([expect.objectContaining({ field: "plan" })]),
      }),
      expect.objectContaining({
        source: "closeUsagePeriod",
        path: `orgs/${badShard}/usage/2026-02/shards/1`,
        fields: [expect.objectContaining({ field: "calls" })],
      }),
    ]);
  });
});

describe("settleReservations with an invalid reservation", () => {
  it("releases the valid stale reservations, logs the invalid one and leaves it", async () => {
    const staleAt = new Date("2026-05-01T00:00:00Z");
    const reservation = (orgId: string) => ({
      orgId,
      period: "2026-05",
      uid: "ann",
      shard: 0,
      calls: 1,
      costMicros: 100,
      account: null,
      createdAt: staleAt,
      staleAt,
      expiresAt: new Date("2026-05-08T00:00:00Z"),
    });
    const orgs = [newId("org"), newId("org")];
    for (const orgId of orgs) {
      await env.db.doc(`orgs/${orgId}/usage/2026-05/shards/0`).set({
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        costMicros: 0,
        ...WHOLE_SHARD,
        reservedCalls: 1,
        reservedCostMicros: 100,
      });
      await env.db.doc(`aiReservations/${newId("r")}`).set(reservation(orgId));
    }
    const { uid: _, ...noUid } = reservation(orgs[1]!);
    const bad = newId("r");
    await env.db.doc(`aiReservations/${bad}`).set(noUid);

    const later = { now: () => new Date("2026-05-02T00:00:00Z") };
    expect(await settleReservations({ db: env.db, clock: later })).toEqual({ released: 2, invalid: 1 });
    expect((await env.db.doc(`aiReservations/${bad}`).get()).exists).toBe(true);
    expect(invalidLogs()).toEqual([
      expect.objectContaining({
        source: "settleReservations",
        path: `aiReservations/${bad}`,
        fields: [expect.objectContaining({ field: "uid" })],
      }),
    ]);
  });
});
