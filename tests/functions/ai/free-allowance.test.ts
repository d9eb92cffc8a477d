import type { HttpsError } from "firebase-functions/https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiGenerate } from "../../../functions/src/ai/ai-generate.js";
import { getPlan } from "../../../functions/src/billing/plans.js";
import { periodOf } from "../../../functions/src/usage/caps.js";
import { type AiTestEnv, callAs, newId, seedOrg, startAiTestEnv, usageOf } from "./support.js";

/**
 * Issue 16, finding 2: the free AI allowance is one per owning account. Every free org's call also counts
 * against `freeAiUsage/{period}_{owner}`, shared by all the free orgs that account owns, in the reserving
 * transaction; more free orgs do not mean more free AI. Paid orgs keep their own budgets.
 */

let env: AiTestEnv;
let call: (request: never) => Promise<unknown>;

beforeAll(async () => {
  env = await startAiTestEnv();
  call = env.fft.wrap(aiGenerate) as never;
});
afterAll(() => env?.stop());

const period = () => periodOf(new Date());
const free = getPlan("free").entitlements;
const ledger = (owner: string) => env.db.doc(`freeAiUsage/${period()}_${owner}`);
/** The owner's free allowance this month, with `used` already spent and nothing reserved. */
const useAllowance = (owner: string, used: { calls: number; costMicros: number }) =>
  ledger(owner).set({
    owner,
    period: period(),
    ...used,
    reservedCalls: 0,
    reservedCostMicros: 0,
    expiresAt: new Date(Date.now() + 30 * 24 * 60 * 60_000),
  });

async function refusal(promise: Promise<unknown>): Promise<HttpsError> {
  return promise.then(
    () => {
      throw new Error("expected the call to be refused");
    },
    (e: HttpsError) => e,
  );
}

describe("free AI allowance per owning account", () => {
  it("calls in two free orgs of one owner add up on one allowance, and `remaining` shows the shared rest", async () => {
    const owner = newId("owner");
    const [a, b] = await Promise.all([
      seedOrg(env.db, { members: { [owner]: "owner" } }),
      seedOrg(env.db, { members: { [owner]: "owner" } }),
    ]);
    await call(callAs(owner, { orgId: a, prompt: "one" }));
    const second = (await call(callAs(owner, { orgId: b, prompt: "two" }))) as {
      remaining: { calls: number };
    };
    expect(second.remaining.calls).toBe(free.aiCallsPerMonth.hard - 2);
    expect((await ledger(owner).get()).data()).toMatchObject({
      owner,
      calls: 2,
      reservedCalls: 0,
      reservedCostMicros: 0,
    });
    expect((await usageOf(env.db, b, period())).calls).toBe(1);
  });

  it("once the owner's allowance is used up, every free org of theirs is refused, for every member; nothing is charged", async () => {
    const owner = newId("owner");
    const member = newId("member");
    const fresh = await seedOrg(env.db, { members: { [owner]: "owner", [member]: "member" } });
    await useAllowance(owner, { calls: free.aiCallsPerMonth.hard, costMicros: 0 });
    for (const uid of [owner, member]) {
      const err = await refusal(call(callAs(uid, { orgId: fresh, prompt: "more" })));
      expect(err.code).toBe("resource-exhausted");
      expect(err.details).toMatchObject({ reason: "hard-cap", scope: "account", metric: "calls" });
    }
    expect(await usageOf(env.db, fresh, period())).toMatchObject({
      calls: 0,
      reservedCalls: 0,
      openReservations: 0,
    });
    expect((await ledger(owner).get()).get("calls")).toBe(free.aiCallsPerMonth.hard);
  });

  it("the cost cap binds the account too", async () => {
    const owner = newId("owner");
    const orgId = await seedOrg(env.db, { members: { [owner]: "owner" } });
    await useAllowance(owner, { calls: 0, costMicros: free.aiCostMicrosPerMonth.hard });
    const err = await refusal(call(callAs(owner, { orgId, prompt: "x" })));
    expect(err.details).toMatchObject({ reason: "hard-cap", scope: "account", metric: "cost" });
  });

  it("a paid org of the same owner keeps its own budget", async () => {
    const owner = newId("owner");
    await useAllowance(owner, { calls: free.aiCallsPerMonth.hard, costMicros: 0 });
    const paid = await seedOrg(env.db, {
      members: { [owner]: "owner" },
      entitlements: getPlan("pro").entitlements,
    });
    await env.db.doc(`orgs/${paid}`).update({ plan: "pro" });
    await expect(call(callAs(owner, { orgId: paid, prompt: "paid" }))).resolves.toMatchObject({
      cached: false,
    });
    expect((await ledger(owner).get()).get("calls")).toBe(free.aiCallsPerMonth.hard);
  });

  it("concurrent calls across an owner's free orgs never pass the shared allowance", async () => {
    const owner = newId("owner");
    const orgs = await Promise.all(
      Array.from({ length: 4 }, () => seedOrg(env.db, { members: { [owner]: "owner" } })),
    );
    const left = 3;
    await useAllowance(owner, { calls: free.aiCallsPerMonth.hard - left, costMicros: 0 });
    const results = await Promise.allSettled(
      orgs.flatMap((orgId, i) => [0, 1].map((j) => call(callAs(owner, { orgId, prompt: `p${i}-${j}` })))),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    expect(ok).toBeLessThanOrEqual(left);
    for (const r of results) {
      if (r.status === "rejected")
        expect(["hard-cap", "contention"]).toContain(
          (r.reason as { details?: { reason?: string } }).details?.reason,
        );
    }
    const after = (await ledger(owner).get()).data()!;
    expect(after.calls).toBe(free.aiCallsPerMonth.hard - left + ok);
    expect(after.reservedCalls).toBe(0);
  });
});
