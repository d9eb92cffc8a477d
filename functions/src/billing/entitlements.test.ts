import { describe, expect, it } from "vitest";
import {
  duplicateSubscriptions,
  isLive,
  keptSubscription,
  resolveOrgBilling,
  seatsRemaining,
  shouldFollow,
  toBillingStatus,
} from "./entitlements.js";
import { PLANS } from "./plans.js";

const NOW = new Date("2026-03-10T12:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const daysBefore = (n: number) => new Date(NOW.getTime() - n * DAY);

function resolve(status: Parameters<typeof resolveOrgBilling>[0]["status"], since: Date | null = null) {
  return resolveOrgBilling({ status, paidPlan: "team", previousPastDueSince: since, now: NOW, graceDays: 7 });
}

describe("resolveOrgBilling", () => {
  it.each(["trialing", "active"] as const)("%s: grants the paid plan", (status) => {
    expect(resolve(status)).toEqual({
      plan: "team",
      billingStatus: status,
      entitlements: PLANS.team.entitlements,
      pastDueSince: null,
    });
  });

  it.each(["unpaid", "canceled", "incomplete", "incomplete_expired", "paused"] as const)(
    "%s: falls back to free but keeps the status",
    (status) => {
      const result = resolve(status);
      expect(result.plan).toBe("free");
      expect(result.billingStatus).toBe(status);
      expect(result.entitlements).toEqual(PLANS.free.entitlements);
    },
  );

  it("past_due: starts the grace period now and keeps the plan", () => {
    expect(resolve("past_due")).toMatchObject({ plan: "team", pastDueSince: NOW });
  });

  it("past_due: keeps the plan until the grace period ends, then downgrades", () => {
    expect(resolve("past_due", daysBefore(6.9))).toMatchObject({
      plan: "team",
      pastDueSince: daysBefore(6.9),
    });
    expect(resolve("past_due", daysBefore(7))).toMatchObject({
      plan: "free",
      billingStatus: "past_due",
      entitlements: PLANS.free.entitlements,
    });
  });

  it("recovery: active again clears the past_due start", () => {
    expect(resolve("active", daysBefore(30))).toMatchObject({ plan: "team", pastDueSince: null });
  });

  it("unknown price: grants nothing even when active", () => {
    const result = resolveOrgBilling({
      status: "active",
      paidPlan: undefined,
      previousPastDueSince: null,
      now: NOW,
      graceDays: 7,
    });
    expect(result.plan).toBe("free");
    expect(result.billingStatus).toBe("active");
  });

  it("zero grace days: past_due downgrades at once", () => {
    const result = resolveOrgBilling({
      status: "past_due",
      paidPlan: "pro",
      previousPastDueSince: null,
      now: NOW,
      graceDays: 0,
    });
    expect(result.plan).toBe("free");
  });
});

describe("toBillingStatus", () => {
  it("keeps every Stripe status Hearth knows", () => {
    for (const s of ["trialing", "active", "past_due", "unpaid", "canceled", "incomplete", "paused"]) {
      expect(toBillingStatus(s)).toBe(s);
    }
    expect(toBillingStatus("incomplete_expired")).toBe("incomplete_expired");
  });

  it("maps an unknown or made-up status to incomplete, which grants nothing", () => {
    expect(toBillingStatus("some_future_status")).toBe("incomplete");
    expect(toBillingStatus("none")).toBe("incomplete");
  });
});

describe("isLive", () => {
  it("is false only for none, canceled and incomplete_expired", () => {
    expect(isLive("none")).toBe(false);
    expect(isLive("canceled")).toBe(false);
    expect(isLive("incomplete_expired")).toBe(false);
    expect(isLive("past_due")).toBe(true);
    expect(isLive("paused")).toBe(true);
  });
});

describe("shouldFollow", () => {
  const older = new Date("2026-01-01T00:00:00Z");
  const newer = new Date("2026-02-01T00:00:00Z");

  it("follows the first subscription and any news about the same one", () => {
    expect(shouldFollow(null, { id: "sub_a", status: "canceled", createdAt: older })).toBe(true);
    expect(
      shouldFollow(
        { id: "sub_a", status: "active", createdAt: older },
        { id: "sub_a", status: "canceled", createdAt: older },
      ),
    ).toBe(true);
  });

  it("a late event about a dead subscription never displaces a live one", () => {
    expect(
      shouldFollow(
        { id: "sub_new", status: "active", createdAt: newer },
        { id: "sub_old", status: "canceled", createdAt: older },
      ),
    ).toBe(false);
  });

  it("a new live subscription replaces a dead one", () => {
    expect(
      shouldFollow(
        { id: "sub_old", status: "canceled", createdAt: older },
        { id: "sub_new", status: "trialing", createdAt: newer },
      ),
    ).toBe(true);
  });

  it("between two live subscriptions the older wins (the newer is a duplicate, cancelled)", () => {
    const a = { id: "sub_a", status: "active" as const, createdAt: older };
    const b = { id: "sub_b", status: "trialing" as const, createdAt: newer };
    expect(shouldFollow(a, b)).toBe(false);
    expect(shouldFollow(b, a)).toBe(true);
    const sameSecond = { id: "sub_c", status: "active" as const, createdAt: older };
    expect(shouldFollow(sameSecond, a)).toBe(true);
    expect(shouldFollow(a, sameSecond)).toBe(false);
  });

  it("between two dead subscriptions the newer wins", () => {
    const a = { id: "sub_a", status: "canceled" as const, createdAt: older };
    const b = { id: "sub_b", status: "incomplete_expired" as const, createdAt: newer };
    expect(shouldFollow(a, b)).toBe(true);
    expect(shouldFollow(b, a)).toBe(false);
  });
});

describe("keptSubscription and duplicateSubscriptions", () => {
  const at = (iso: string) => new Date(iso);
  const subs = [
    { id: "sub_b", status: "trialing" as const, createdAt: at("2026-01-01T00:00:01Z") },
    { id: "sub_old", status: "canceled" as const, createdAt: at("2025-01-01T00:00:00Z") },
    { id: "sub_a", status: "trialing" as const, createdAt: at("2026-01-01T00:00:00Z") },
    { id: "sub_c", status: "incomplete" as const, createdAt: at("2026-01-01T00:00:02Z") },
  ];

  it("keeps the live subscription created first, in any order; the other live ones are duplicates", () => {
    for (const order of [subs, [...subs].reverse()]) {
      expect(keptSubscription(order)?.id).toBe("sub_a");
      expect(
        duplicateSubscriptions(order)
          .map((s) => s.id)
          .sort(),
      ).toEqual(["sub_b", "sub_c"]);
    }
  });

  it("ties in Stripe's one-second `created` go to the smaller id; none live keeps none", () => {
    const tie = [
      { id: "sub_z", status: "active" as const, createdAt: at("2026-01-01T00:00:00Z") },
      { id: "sub_y", status: "active" as const, createdAt: at("2026-01-01T00:00:00Z") },
    ];
    expect(keptSubscription(tie)?.id).toBe("sub_y");
    expect(keptSubscription([subs[1] as (typeof subs)[number]])).toBeNull();
    expect(duplicateSubscriptions([subs[1] as (typeof subs)[number]])).toEqual([]);
  });
});

describe("seatsRemaining", () => {
  it("counts members and pending invites against the plan's seats", () => {
    expect(seatsRemaining(PLANS.free.entitlements, 1, 1)).toBe(1);
    expect(seatsRemaining(PLANS.free.entitlements, 2, 1)).toBe(0);
  });

  it("never goes below zero after a downgrade leaves the org over its seats", () => {
    expect(seatsRemaining(PLANS.free.entitlements, 8)).toBe(0);
  });
});
