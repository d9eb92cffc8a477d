import { UsageShard } from "@hearth/schema";
import { describe, expect, it } from "vitest";
import { wholeUsageShards } from "./0002-whole-usage-shards.js";

const cut = { allotCalls: 6, allotCostMicros: 600, capCalls: 100, capCostMicros: 10_000 };
const path = "orgs/acme/usage/2026-05/shards/3";

describe("migration 0002: whole usage shards", () => {
  it("fills every missing counter with 0, so the shard fits UsageShard", () => {
    const update = wholeUsageShards.step({ path, data: cut });
    expect(update).toEqual({
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      costMicros: 0,
      reservedCalls: 0,
      reservedCostMicros: 0,
    });
    expect(UsageShard.safeParse({ ...cut, ...update }).success).toBe(true);
  });

  it("keeps existing counters, leaves whole shards and other collections alone", () => {
    expect(wholeUsageShards.step({ path, data: { ...cut, calls: 4, costMicros: 40 } })).not.toHaveProperty(
      "calls",
    );
    const whole = { ...cut, calls: 1, inputTokens: 2, outputTokens: 3, costMicros: 4 };
    expect(wholeUsageShards.step({ path, data: { ...whole, reservedCalls: 0, reservedCostMicros: 0 } })).toBe(
      null,
    );
    expect(wholeUsageShards.step({ path: "games/g1/shards/0", data: {} })).toBe(null);
  });
});
