import { LIMITS, type PlanId } from "@hearth/schema";
import { afterEach, describe, expect, it } from "vitest";
import { planLimits } from "../lib/production-config.js";
import { getAccountLimits, getPlan, PLANS } from "./plans.js";

const ENV = ["LOCAL_PLAN_LIMITS", "GCLOUD_PROJECT", "FUNCTIONS_EMULATOR"] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));

function runAs(env: Partial<Record<(typeof ENV)[number], string>>) {
  for (const name of ENV) {
    if (env[name] === undefined) delete process.env[name];
    else process.env[name] = env[name];
  }
}

afterEach(() => runAs(saved));

const IDS = Object.keys(PLANS) as PlanId[];

describe("planLimits", () => {
  const real = { projectId: "acme-prod", emulated: false };

  it("small applies in the emulator and demo projects only; a real project keeps its plans", () => {
    expect(planLimits({ projectId: "acme-prod", emulated: true }, "small")).toEqual({ limits: "small" });
    expect(planLimits({ projectId: "demo-hearth", emulated: false }, "small")).toEqual({ limits: "small" });
    expect(planLimits(real, "small")).toEqual({ limits: "plans", ignored: expect.stringContaining("only") });
  });

  it("empty means the plans' own limits; an unknown value is ignored, with the reason", () => {
    expect(planLimits(real, "")).toEqual({ limits: "plans" });
    expect(planLimits({ projectId: "demo-hearth", emulated: true }, "tiny")).toEqual({
      limits: "plans",
      ignored: 'is "tiny"; use small, or leave it empty',
    });
  });
});

describe("getPlan and getAccountLimits under LOCAL_PLAN_LIMITS", () => {
  it("follow the setting at call time in the emulator, and ignore it in a real project", () => {
    runAs({ LOCAL_PLAN_LIMITS: "small", GCLOUD_PROJECT: "acme-prod", FUNCTIONS_EMULATOR: "true" });
    expect(getPlan("free").entitlements.aiCallsPerMonth.hard).toBe(5);
    expect(getAccountLimits().orgsCreated.perHour).toBe(2);
    runAs({ LOCAL_PLAN_LIMITS: "small", GCLOUD_PROJECT: "acme-prod" });
    for (const id of IDS) expect(getPlan(id)).toBe(PLANS[id]);
    expect(getAccountLimits().orgsCreated.perHour).toBe(3);
    runAs({ GCLOUD_PROJECT: "demo-hearth" });
    for (const id of IDS) expect(getPlan(id)).toBe(PLANS[id]);
  });

  it("small: every limit at most the plan's own, each reachable in seconds, the demo seed still fits", () => {
    runAs({ LOCAL_PLAN_LIMITS: "small", GCLOUD_PROJECT: "demo-hearth" });
    for (const id of IDS) {
      const small = getPlan(id);
      const full = PLANS[id];
      expect(small).toMatchObject({ id, pricing: full.pricing, trialDays: full.trialDays });
      expect(small.entitlements.aiModels).toEqual(full.entitlements.aiModels);
      const e = small.entitlements;
      for (const key of ["seats", "projects", "storageBytes", "files", "fileMaxBytes"] as const) {
        expect(e[key], `${id} ${key}`).toBeLessThanOrEqual(full.entitlements[key]);
      }
      expect(Math.max(e.seats, e.projects)).toBeLessThanOrEqual(5);
      expect(e.fileMaxBytes).toBeLessThanOrEqual(Math.min(e.storageBytes, LIMITS.fileMaxBytes));
      expect(e.storageBytes / e.fileMaxBytes).toBeLessThanOrEqual(e.files);
      expect(e.aiCallsPerMonth.soft).toBeLessThan(e.aiCallsPerMonth.hard);
      expect(e.aiCostMicrosPerMonth.soft).toBeLessThan(e.aiCostMicrosPerMonth.hard);
      // The rate limit lets the hard cap be reached within its first minute.
      expect(e.aiCallsPerMinutePerUser).toBeGreaterThan(e.aiCallsPerMonth.hard);
      expect(e.aiCallsPerMonth.hard).toBeLessThanOrEqual(12);
      expect(small.mail.perHour).toBeLessThan(small.mail.perDay);
      expect(small.mail.perDay).toBeLessThanOrEqual(10);
    }
    // scripts/stack/seed.ts: a Team org with four members from three invitations and three AI calls, and a
    // free org of two; each owner creates one org.
    const team = getPlan("team");
    expect(team.entitlements.seats).toBeGreaterThanOrEqual(4);
    expect(team.mail.perHour).toBeGreaterThanOrEqual(3);
    expect(team.entitlements.aiCallsPerMonth.hard).toBeGreaterThan(3);
    expect(getPlan("free").entitlements.seats).toBeGreaterThanOrEqual(2);
    expect(getAccountLimits().mail.perHour).toBeGreaterThanOrEqual(3);
    expect(getAccountLimits().orgsCreated.perHour).toBeGreaterThanOrEqual(1);
  });
});
