import type { HttpsError } from "firebase-functions/https";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { aiGenerate } from "../../../functions/src/ai/ai-generate.js";
import { PLANS } from "../../../functions/src/billing/plans.js";
import { createOrg as createOrgFn } from "../../../functions/src/orgs/create-org.js";
import { type AiTestEnv, callAs, newId, startAiTestEnv } from "./support.js";

/**
 * LOCAL_PLAN_LIMITS=small through the callables a frontend uses: createOrg writes the small entitlements
 * on the org doc (which the rules and aiGenerate read), and the caps are reached within a few calls.
 */
let env: AiTestEnv;
let generate: (request: never) => Promise<unknown>;
let createOrg: (request: never) => Promise<unknown>;

beforeAll(async () => {
  env = await startAiTestEnv();
  generate = env.fft.wrap(aiGenerate) as never;
  createOrg = env.fft.wrap(createOrgFn) as never;
});
afterAll(() => env?.stop());
afterEach(() => {
  delete process.env.LOCAL_PLAN_LIMITS;
});

async function newOrg(uid: string): Promise<string> {
  const { orgId } = (await createOrg(callAs(uid, { name: "Local Inc" }))) as { orgId: string };
  return orgId;
}

/** Calls aiGenerate with fresh prompts (no cache hits) until it is refused; the refusal and calls made. */
async function callUntilRefused(uid: string, orgId: string, max: number) {
  for (let made = 0; made < max; made++) {
    try {
      await generate(callAs(uid, { orgId, prompt: `Prompt ${made} ${newId("p")}` }));
    } catch (err) {
      return { answered: made, error: err as HttpsError };
    }
  }
  return { answered: max, error: undefined };
}

describe("LOCAL_PLAN_LIMITS", () => {
  it("small: new orgs get the small entitlements and the AI hard cap is reached in a handful of calls", async () => {
    process.env.LOCAL_PLAN_LIMITS = "small";
    const uid = newId("olga");
    const orgId = await newOrg(uid);
    const entitlements = (await env.db.doc(`orgs/${orgId}`).get()).get("entitlements");
    expect(entitlements).toMatchObject({ aiCallsPerMonth: { soft: 3, hard: 5 }, seats: 3, files: 5 });
    expect(entitlements.storageBytes).toBeLessThan(PLANS.free.entitlements.storageBytes);

    const started = Date.now();
    const capped = await callUntilRefused(uid, orgId, 10);
    expect(capped.answered).toBe(5);
    expect(capped.error).toMatchObject({ code: "resource-exhausted", details: { reason: "hard-cap" } });
    expect(Date.now() - started).toBeLessThan(30_000);

    // The rate limit (10 a minute, above the cap) answers a few calls later; until then, the cap.
    const reasons: string[] = [];
    while (reasons.length < 10 && reasons.at(-1) !== "rate-limit") {
      const { error } = await callUntilRefused(uid, orgId, 1);
      reasons.push(String((error?.details as { reason?: string } | undefined)?.reason));
    }
    expect(reasons.at(-1)).toBe("rate-limit");
    expect(new Set(reasons.slice(0, -1))).toEqual(new Set(["hard-cap"]));
  });

  it("small: the third org an account creates within the hour is refused", async () => {
    process.env.LOCAL_PLAN_LIMITS = "small";
    const uid = newId("oleg");
    await newOrg(uid);
    await newOrg(uid);
    await expect(newOrg(uid)).rejects.toMatchObject({
      code: "resource-exhausted",
      details: { reason: "org-create-limit" },
    });
  });

  it("unset: the plans' own entitlements; past the small cap, only the plan's rate limit stops calls", async () => {
    const uid = newId("pia");
    const orgId = await newOrg(uid);
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("entitlements")).toEqual(PLANS.free.entitlements);
    // The small cap would refuse the sixth call with hard-cap; here the free plan's 5 a minute does.
    const run = await callUntilRefused(uid, orgId, 6);
    expect(run.answered).toBe(PLANS.free.entitlements.aiCallsPerMinutePerUser);
    expect(run.error).toMatchObject({ code: "resource-exhausted", details: { reason: "rate-limit" } });
  });
});
