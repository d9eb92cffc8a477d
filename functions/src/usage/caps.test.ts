import { describe, expect, it } from "vitest";
import {
  type Amount,
  exceeded,
  fitsShard,
  overageCents,
  periodOf,
  previousPeriod,
  rebalance,
  remaining,
  type ShardState,
} from "./caps.js";

const hard: Amount = { calls: 100, costMicros: 2_000_000 };
const caps = { soft: { calls: 80, costMicros: 1_000_000 }, hard };

function shard(used: Amount, reserved: Amount, allot: Amount, cap: Amount = hard): ShardState {
  return { used, reserved, allot, cap };
}

describe("periods", () => {
  it("periodOf: UTC month, zero-padded", () => {
    expect(periodOf(new Date("2026-01-31T23:59:59Z"))).toBe("2026-01");
    expect(periodOf(new Date("2026-12-01T00:00:00Z"))).toBe("2026-12");
  });
  it("previousPeriod: crosses the year", () => {
    expect(previousPeriod("2026-01")).toBe("2025-12");
    expect(previousPeriod("2026-11")).toBe("2026-10");
  });
});

describe("fitsShard", () => {
  const s = shard(
    { calls: 3, costMicros: 300 },
    { calls: 1, costMicros: 100 },
    { calls: 5, costMicros: 500 },
  );
  it("fits exactly up to the allotment", () => {
    expect(fitsShard(s, hard, { calls: 1, costMicros: 100 })).toBe(true);
  });
  it("refuses one call or one micro past it", () => {
    expect(fitsShard(s, hard, { calls: 2, costMicros: 100 })).toBe(false);
    expect(fitsShard(s, hard, { calls: 1, costMicros: 101 })).toBe(false);
  });
  it("refuses a missing shard and a shard cut from other caps", () => {
    expect(fitsShard(undefined, hard, { calls: 1, costMicros: 1 })).toBe(false);
    expect(fitsShard(s, { calls: 200, costMicros: 2_000_000 }, { calls: 1, costMicros: 1 })).toBe(false);
  });
});

describe("rebalance", () => {
  const req: Amount = { calls: 1, costMicros: 1_000 };

  it("allotments always sum to the hard caps and cover what each shard committed", () => {
    const shards = [
      shard(
        { calls: 10, costMicros: 5_000 },
        { calls: 2, costMicros: 3_000 },
        { calls: 12, costMicros: 8_000 },
      ),
      undefined,
      shard({ calls: 7, costMicros: 1_000 }, ZERO_A(), { calls: 9, costMicros: 1_000 }),
    ];
    const result = rebalance(shards, hard, 1, req);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const sum = result.allots.reduce((a, b) => ({
      calls: a.calls + b.calls,
      costMicros: a.costMicros + b.costMicros,
    }));
    expect(sum).toEqual(hard);
    expect(result.allots[0]!.calls).toBeGreaterThanOrEqual(12);
    expect(result.allots[1]!.calls).toBeGreaterThanOrEqual(1);
    expect(result.allots[1]!.costMicros).toBeGreaterThanOrEqual(1_000);
  });

  it("a request that lands exactly on the hard cap is allowed; one more is refused", () => {
    const full = [shard({ calls: 99, costMicros: 0 }, ZERO_A(), { calls: 99, costMicros: 0 })];
    expect(rebalance(full, hard, 0, req).ok).toBe(true);
    const at = [
      shard({ calls: 99, costMicros: 0 }, { calls: 1, costMicros: 0 }, { calls: 100, costMicros: 0 }),
    ];
    expect(rebalance(at, hard, 0, req)).toEqual({
      ok: false,
      metric: "calls",
      committed: { calls: 100, costMicros: 0 },
    });
  });

  it("refuses on cost when calls are left but money is not", () => {
    const s = [shard({ calls: 1, costMicros: 1_999_500 }, ZERO_A(), hard)];
    const result = rebalance(s, hard, 0, req);
    expect(result.ok === false && result.metric).toBe("costMicros");
  });

  it("counts reservations in flight, so concurrent calls cannot pass the cap together", () => {
    const s = [shard({ calls: 50, costMicros: 0 }, { calls: 50, costMicros: 0 }, hard)];
    expect(rebalance(s, hard, 0, req).ok).toBe(false);
  });

  it("refuses everything when the caps were lowered below what is used", () => {
    const s = [shard({ calls: 150, costMicros: 0 }, ZERO_A(), { calls: 200, costMicros: 0 })];
    expect(rebalance(s, hard, 0, req).ok).toBe(false);
  });

  it("spreads the slack's remainder starting at the target", () => {
    // Slack 5 over 3 shards: one each, and the remainder 2 to the target (2) and the shard after it (0).
    const result = rebalance([undefined, undefined, undefined], { calls: 6, costMicros: 0 }, 2, {
      calls: 1,
      costMicros: 0,
    });
    expect(result.ok && result.allots.map((a) => a.calls)).toEqual([2, 1, 3]);
  });
});

describe("remaining and soft caps", () => {
  it("exactly at the soft cap is flagged; one below is not", () => {
    expect(remaining({ calls: 79, costMicros: 0 }, caps).softCapReached).toBe(false);
    expect(remaining({ calls: 80, costMicros: 0 }, caps)).toEqual({
      calls: 20,
      costMicros: 2_000_000,
      softCapReached: true,
    });
    expect(remaining({ calls: 0, costMicros: 1_000_000 }, caps).softCapReached).toBe(true);
  });
  it("never negative, even past a lowered cap", () => {
    expect(remaining({ calls: 150, costMicros: 3_000_000 }, caps)).toMatchObject({ calls: 0, costMicros: 0 });
  });
});

describe("overageCents", () => {
  it("rounds a partial cent up and is zero at or under the soft cap", () => {
    expect(overageCents(1_000_000, 1_000_000)).toBe(0);
    expect(overageCents(900_000, 1_000_000)).toBe(0);
    expect(overageCents(1_000_001, 1_000_000)).toBe(1);
    expect(overageCents(1_250_000, 1_000_000)).toBe(25);
  });
});

function ZERO_A(): Amount {
  return { calls: 0, costMicros: 0 };
}

describe("rebalance: invariants over random states", () => {
  // A small seeded generator, so a failure replays the same way.
  function prng(seed: number) {
    let x = seed;
    return (n: number) => {
      x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
      return x % n;
    };
  }

  it("allots sum to the caps, cover every shard's commitments, and refuse exactly past the cap", () => {
    const rand = prng(42);
    for (let round = 0; round < 2_000; round++) {
      const n = 1 + rand(20);
      const hardCaps = { calls: rand(200), costMicros: rand(50_000) };
      const shards = Array.from({ length: n }, () =>
        rand(4) === 0
          ? undefined
          : shard(
              { calls: rand(15), costMicros: rand(3_000) },
              { calls: rand(3), costMicros: rand(500) },
              { calls: 0, costMicros: 0 },
            ),
      );
      const target = rand(n);
      const req = { calls: 1, costMicros: rand(2_000) };
      const committed = shards.reduce(
        (sum, s) =>
          s
            ? {
                calls: sum.calls + s.used.calls + s.reserved.calls,
                costMicros: sum.costMicros + s.used.costMicros + s.reserved.costMicros,
              }
            : sum,
        { calls: 0, costMicros: 0 },
      );
      const fits =
        committed.calls + req.calls <= hardCaps.calls &&
        committed.costMicros + req.costMicros <= hardCaps.costMicros;
      const result = rebalance(shards, hardCaps, target, req);
      expect(result.ok, `round ${round}`).toBe(fits);
      if (!result.ok) continue;
      const sum = result.allots.reduce((a, b) => ({
        calls: a.calls + b.calls,
        costMicros: a.costMicros + b.costMicros,
      }));
      expect(sum).toEqual(hardCaps);
      result.allots.forEach((allot, i) => {
        const s = shards[i];
        const need = {
          calls: (s ? s.used.calls + s.reserved.calls : 0) + (i === target ? req.calls : 0),
          costMicros:
            (s ? s.used.costMicros + s.reserved.costMicros : 0) + (i === target ? req.costMicros : 0),
        };
        expect(allot.calls).toBeGreaterThanOrEqual(need.calls);
        expect(allot.costMicros).toBeGreaterThanOrEqual(need.costMicros);
      });
      // After the recut, the target shard takes the request on its own.
      const t = shards[target];
      const targetState = shard(
        t ? t.used : { calls: 0, costMicros: 0 },
        t ? t.reserved : { calls: 0, costMicros: 0 },
        result.allots[target]!,
        hardCaps,
      );
      expect(fitsShard(targetState, hardCaps, req)).toBe(true);
    }
  });
});

describe("exceeded", () => {
  const small = { calls: 10, costMicros: 1_000 };
  it("names the cap a request would pass, calls first; undefined when it fits exactly", () => {
    expect(exceeded({ calls: 9, costMicros: 900 }, { calls: 1, costMicros: 100 }, small)).toBeUndefined();
    expect(exceeded({ calls: 10, costMicros: 0 }, { calls: 1, costMicros: 0 }, small)).toBe("calls");
    expect(exceeded({ calls: 0, costMicros: 950 }, { calls: 1, costMicros: 51 }, small)).toBe("costMicros");
    expect(exceeded({ calls: 10, costMicros: 1_000 }, { calls: 1, costMicros: 1 }, small)).toBe("calls");
  });
});
