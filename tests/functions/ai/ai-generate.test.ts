import type { HttpsError } from "firebase-functions/https";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { aiGenerate, aiGenerateDeps, handleAiGenerate } from "../../../functions/src/ai/ai-generate.js";
import { costMicros, MODELS } from "../../../functions/src/ai/providers/models.js";
import { periodOf } from "../../../functions/src/usage/caps.js";
import { fakeReply } from "../../fakes/ai-provider/index.js";
import { type AiTestEnv, callAs, newId, seedOrg, startAiTestEnv, TEST_PARAMS, usageOf } from "./support.js";

/** The seeded org's owner, signed in, as the callable wrapper hands it to the handler. */
const OWNER = { uid: "owner", email: "owner@example.com", emailVerified: true };

let env: AiTestEnv;
let call: (request: never) => Promise<unknown>;

beforeAll(async () => {
  env = await startAiTestEnv();
  call = env.fft.wrap(aiGenerate) as never;
});
afterAll(() => env?.stop());
beforeEach(() => env.fake.control.reset());

const period = () => periodOf(new Date());

async function refusal(promise: Promise<unknown>): Promise<HttpsError> {
  const err = await promise.then(
    () => {
      throw new Error("expected the call to be refused");
    },
    (e: unknown) => e,
  );
  return err as HttpsError;
}

function expectedUsage(prompt: string, model = "gpt-4o-mini") {
  const reply = fakeReply(model, prompt, 256);
  return {
    text: reply.text,
    usage: {
      inputTokens: reply.inputTokens,
      outputTokens: reply.outputTokens,
      costMicros: costMicros(MODELS[model]!, reply.inputTokens, reply.outputTokens),
    },
  };
}

describe("aiGenerate: answers and metering", () => {
  it("a member gets the provider's answer, charged at the price table, with what remains", async () => {
    const orgId = await seedOrg(env.db, { members: { owner: "owner", ann: "member" } });
    const out = (await call(callAs("ann", { orgId, prompt: "Write a haiku" }))) as Record<string, unknown>;
    const expected = expectedUsage("Write a haiku");
    expect(out).toEqual({
      text: expected.text,
      cached: false,
      usage: expected.usage,
      remaining: {
        period: period(),
        calls: 99,
        costMicros: 2_000_000 - expected.usage.costMicros,
        softCapReached: false,
      },
    });
    const usage = await usageOf(env.db, orgId, period());
    expect(usage).toMatchObject({ calls: 1, ...expected.usage, reservedCalls: 0, reservedCostMicros: 0 });
    expect(usage.openReservations).toBe(0);
    const perUser = await env.db.doc(`orgs/${orgId}/usage/${period()}/users/ann`).get();
    expect(perUser.data()).toMatchObject({ calls: 1, ...expected.usage });
    expect(env.fake.control.requests()).toEqual([
      { path: "/v1/chat/completions", model: "gpt-4o-mini", prompt: "Write a haiku" },
    ]);
  });

  it("the requested model is used and priced as that model", async () => {
    const orgId = await seedOrg(env.db);
    const out = (await call(callAs("owner", { orgId, prompt: "Big one", model: "gpt-4o" }))) as {
      usage: unknown;
    };
    expect(out.usage).toEqual(expectedUsage("Big one", "gpt-4o").usage);
    expect(env.fake.control.requests()[0]?.model).toBe("gpt-4o");
  });

  it("without a model: the plan's first model the catalog serves, past ids it has retired", async () => {
    const orgId = await seedOrg(env.db, { entitlements: { aiModels: ["fake-small", "gpt-4o"] } });
    const out = (await call(callAs("owner", { orgId, prompt: "Old plan" }))) as { usage: unknown };
    expect(out.usage).toEqual(expectedUsage("Old plan", "gpt-4o").usage);
    expect(env.fake.control.requests()[0]?.model).toBe("gpt-4o");
    const retired = await refusal(call(callAs("owner", { orgId, prompt: "Old plan", model: "fake-small" })));
    expect(retired.code).toBe("failed-precondition");
    expect(retired.details).toMatchObject({ reason: "model-unavailable" });
  });
});

describe("aiGenerate: cache", () => {
  it("hit: an identical request (up to outer whitespace) costs nothing and skips the provider", async () => {
    // An owner of its own: `remaining` also counts the owner's free allowance across its free orgs.
    const owner = newId("owner");
    const orgId = await seedOrg(env.db, { members: { [owner]: "owner" } });
    await call(callAs(owner, { orgId, prompt: "Summarise Hearth" }));
    const before = await usageOf(env.db, orgId, period());
    const hit = (await call(callAs(owner, { orgId, prompt: "  Summarise Hearth \r\n" }))) as Record<
      string,
      unknown
    >;
    expect(hit).toMatchObject({
      text: expectedUsage("Summarise Hearth").text,
      cached: true,
      usage: { inputTokens: 0, outputTokens: 0, costMicros: 0 },
      remaining: { calls: 99 },
    });
    expect(env.fake.control.requests()).toHaveLength(1);
    expect(await usageOf(env.db, orgId, period())).toEqual(before);
  });

  it("miss: another model, another prompt or another org is a new call", async () => {
    const orgA = await seedOrg(env.db);
    const orgB = await seedOrg(env.db);
    await call(callAs("owner", { orgId: orgA, prompt: "Same words" }));
    const misses = [
      { orgId: orgA, prompt: "Same words", model: "gpt-4o" },
      { orgId: orgA, prompt: "Same words!" },
      { orgId: orgB, prompt: "Same words" },
    ];
    for (const data of misses) {
      expect(((await call(callAs("owner", data))) as { cached: boolean }).cached).toBe(false);
    }
    expect(env.fake.control.requests()).toHaveLength(4);
  });

  it("entries carry an orgId and an expiresAt TTL field", async () => {
    const orgId = await seedOrg(env.db);
    await call(callAs("owner", { orgId, prompt: "ttl field" }));
    const entries = await env.db.collection("aiCache").where("orgId", "==", orgId).get();
    expect(entries.size).toBe(1);
    const entry = entries.docs[0]!;
    const ttlMs = entry.get("expiresAt").toMillis() - entry.get("createdAt").toMillis();
    expect(ttlMs).toBe(3_600_000);
  });
});

describe("aiGenerate: monthly caps", () => {
  it("soft cap: one call below is not flagged; reaching it exactly is flagged and still allowed", async () => {
    const orgId = await seedOrg(env.db, { entitlements: { aiCallsPerMonth: { soft: 2, hard: 4 } } });
    const first = (await call(callAs("owner", { orgId, prompt: "one" }))) as {
      remaining: Record<string, unknown>;
    };
    expect(first.remaining).toMatchObject({ calls: 3, softCapReached: false });
    const second = (await call(callAs("owner", { orgId, prompt: "two" }))) as {
      remaining: Record<string, unknown>;
    };
    expect(second.remaining).toMatchObject({ calls: 2, softCapReached: true });
  });

  it("hard cap: the call that reaches it exactly is allowed, the next is refused and costs nothing", async () => {
    const orgId = await seedOrg(env.db, { entitlements: { aiCallsPerMonth: { soft: 1, hard: 2 } } });
    await call(callAs("owner", { orgId, prompt: "a" }));
    const last = (await call(callAs("owner", { orgId, prompt: "b" }))) as {
      remaining: Record<string, unknown>;
    };
    expect(last.remaining).toMatchObject({ calls: 0, softCapReached: true });
    const before = await usageOf(env.db, orgId, period());
    const err = await refusal(call(callAs("owner", { orgId, prompt: "c" })));
    expect(err.code).toBe("resource-exhausted");
    expect(err.details).toMatchObject({ reason: "hard-cap", metric: "calls", period: period() });
    expect(env.fake.control.requests()).toHaveLength(2);
    expect(await usageOf(env.db, orgId, period())).toEqual(before);
  });

  it("hard cost cap: refused when the worst-case cost of the call would pass it", async () => {
    // gpt-4o-mini, 256 output tokens at most: "x" reserves (1 byte + 16) * 0.15 + 256 * 0.6 = 156.15,
    // rounded up to 157 micros.
    const orgId = await seedOrg(env.db, { entitlements: { aiCostMicrosPerMonth: { soft: 100, hard: 156 } } });
    const err = await refusal(call(callAs("owner", { orgId, prompt: "x" })));
    expect(err.code).toBe("resource-exhausted");
    expect(err.details).toMatchObject({ reason: "hard-cap", metric: "cost" });
    const exact = await seedOrg(env.db, { entitlements: { aiCostMicrosPerMonth: { soft: 100, hard: 157 } } });
    const ok = (await call(callAs("owner", { orgId: exact, prompt: "x" }))) as {
      usage: { costMicros: number };
    };
    expect(ok.usage).toEqual(expectedUsage("x").usage);
  });

  it("a lowered plan refuses once usage is past the new cap", async () => {
    const orgId = await seedOrg(env.db, { entitlements: { aiCallsPerMonth: { soft: 5, hard: 5 } } });
    await call(callAs("owner", { orgId, prompt: "before downgrade 1" }));
    await call(callAs("owner", { orgId, prompt: "before downgrade 2" }));
    await env.db.doc(`orgs/${orgId}`).update({ "entitlements.aiCallsPerMonth": { soft: 1, hard: 2 } });
    const err = await refusal(call(callAs("owner", { orgId, prompt: "after" })));
    expect(err.details).toMatchObject({ reason: "hard-cap" });
    await env.db.doc(`orgs/${orgId}`).update({ "entitlements.aiCallsPerMonth": { soft: 1, hard: 3 } });
    expect(await call(callAs("owner", { orgId, prompt: "after upgrade" }))).toMatchObject({ cached: false });
    expect((await usageOf(env.db, orgId, period())).allotCalls).toBe(3);
  });
});

describe("aiGenerate: rate limit", () => {
  it("the call past the per-minute limit is refused with a retry-after hint; others are not affected", async () => {
    const orgId = await seedOrg(env.db, {
      members: { owner: "owner", bob: "member" },
      entitlements: { aiCallsPerMinutePerUser: 2 },
    });
    await call(callAs("owner", { orgId, prompt: "r1" }));
    await call(callAs("owner", { orgId, prompt: "r1" }));
    const err = await refusal(call(callAs("owner", { orgId, prompt: "r2" })));
    expect(err.code).toBe("resource-exhausted");
    expect(err.details).toMatchObject({ reason: "rate-limit" });
    const retryAfter = (err.details as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(await call(callAs("bob", { orgId, prompt: "r3" }))).toMatchObject({ cached: false });
    expect(env.fake.control.requests()).toHaveLength(2);
  });
});

describe("aiGenerate: provider failures", () => {
  it("503 twice then an answer: retried, charged once", async () => {
    const orgId = await seedOrg(env.db);
    env.fake.control.failNext({ status: 503, count: 2 });
    const out = (await call(callAs("owner", { orgId, prompt: "flaky" }))) as { usage: unknown };
    expect(out.usage).toEqual(expectedUsage("flaky").usage);
    expect(env.fake.control.requests()).toHaveLength(3);
    expect(await usageOf(env.db, orgId, period())).toMatchObject({
      calls: 1,
      reservedCalls: 0,
      openReservations: 0,
    });
  });

  it("5xx on every attempt: unavailable, nothing leaked, the reservation released", async () => {
    const orgId = await seedOrg(env.db);
    env.fake.control.failNext({ status: 500, count: 3 });
    const err = await refusal(call(callAs("owner", { orgId, prompt: "down" })));
    expect(err.code).toBe("unavailable");
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toMatch(/Injected|500|fake/);
    expect(env.fake.control.requests()).toHaveLength(3);
    expect(await usageOf(env.db, orgId, period())).toMatchObject({
      calls: 0,
      costMicros: 0,
      reservedCalls: 0,
      reservedCostMicros: 0,
      openReservations: 0,
    });
    const cached = await env.db.collection("aiCache").where("orgId", "==", orgId).get();
    expect(cached.size).toBe(0);
  });

  it("429 on every attempt: unavailable after the bounded attempts", async () => {
    const orgId = await seedOrg(env.db);
    env.fake.control.failNext({ status: 429, count: 5 });
    const err = await refusal(call(callAs("owner", { orgId, prompt: "throttled" })));
    expect(err.code).toBe("unavailable");
    expect(env.fake.control.requests()).toHaveLength(3);
  });

  it("timeout: deadline-exceeded and the reservation released", async () => {
    const orgId = await seedOrg(env.db);
    process.env.AI_TIMEOUT_MS = "150";
    env.fake.control.setLatency(600);
    try {
      const err = await refusal(call(callAs("owner", { orgId, prompt: "slow" })));
      expect(err.code).toBe("deadline-exceeded");
    } finally {
      process.env.AI_TIMEOUT_MS = TEST_PARAMS.AI_TIMEOUT_MS;
    }
    expect(await usageOf(env.db, orgId, period())).toMatchObject({
      calls: 0,
      reservedCalls: 0,
      openReservations: 0,
    });
  });
});

describe("aiGenerate: who may call, and bad input", () => {
  it("signed out: unauthenticated", async () => {
    const orgId = await seedOrg(env.db);
    expect((await refusal(call(callAs(null, { orgId, prompt: "hi" })))).code).toBe("unauthenticated");
  });

  it("non-member, viewer and deleted org are refused before any spend", async () => {
    const orgId = await seedOrg(env.db, { members: { owner: "owner", vic: "viewer" } });
    const gone = await seedOrg(env.db, { deleted: true });
    const stranger = await refusal(call(callAs("eve", { orgId, prompt: "hi" })));
    expect(stranger.code).toBe("permission-denied");
    const viewer = await refusal(call(callAs("vic", { orgId, prompt: "hi" })));
    expect(viewer.code).toBe("permission-denied");
    expect(viewer.details).toMatchObject({ reason: "role", required: "member" });
    const deleted = await refusal(call(callAs("owner", { orgId: gone, prompt: "hi" })));
    expect(deleted.code).toBe("failed-precondition");
    expect(env.fake.control.requests()).toHaveLength(0);
    expect((await env.db.collection(`orgs/${orgId}/usage`).listDocuments()).length).toBe(0);
  });

  it.each([
    ["missing prompt", {}, "prompt"],
    ["blank prompt", { prompt: "   \n" }, "prompt"],
    ["prompt over the limit", { prompt: "x".repeat(8_001) }, "prompt"],
    ["prompt not a string", { prompt: 42 }, "prompt"],
    ["malformed model id", { prompt: "hi", model: "../etc" }, "model"],
    ["unknown field", { prompt: "hi", temperature: 2 }, "(root)"],
  ])("invalid-argument: %s", async (_name, data, field) => {
    const orgId = await seedOrg(env.db);
    const err = await refusal(call(callAs("owner", { orgId, ...data })));
    expect(err.code).toBe("invalid-argument");
    expect((err.details as { fields: Record<string, string> }).fields).toHaveProperty(field);
    expect(env.fake.control.requests()).toHaveLength(0);
  });

  it("a model outside the plan's allow-list is invalid-argument and lists the allowed ones", async () => {
    const orgId = await seedOrg(env.db, { entitlements: { aiModels: ["gpt-4o-mini"] } });
    const err = await refusal(call(callAs("owner", { orgId, prompt: "hi", model: "gpt-4o" })));
    expect(err.code).toBe("invalid-argument");
    expect(err.details).toMatchObject({ reason: "model-not-allowed", allowed: ["gpt-4o-mini"] });
    expect(env.fake.control.requests()).toHaveLength(0);
  });

  it("App Check: refused without a token or with a replayed one when enforcement is on, served with a fresh one", async () => {
    const orgId = await seedOrg(env.db);
    process.env.ENFORCE_APP_CHECK = "true";
    try {
      const err = await refusal(call(callAs("owner", { orgId, prompt: "app check" })));
      expect(err.code).toBe("unauthenticated");
      expect(err.details).toMatchObject({ reason: "app-check" });
      // aiGenerate consumes its token, so the platform says whether this was the token's first use.
      const app = { appId: "1:123:web:abc", token: {} };
      const replayed = await refusal(
        call(callAs("owner", { orgId, prompt: "app check" }, { app: { ...app, alreadyConsumed: true } })),
      );
      expect(replayed.code).toBe("unauthenticated");
      expect(replayed.details).toMatchObject({ reason: "app-check-replayed" });
      expect(env.fake.control.requests()).toHaveLength(0);
      const fresh = { app: { ...app, alreadyConsumed: false } };
      expect(await call(callAs("owner", { orgId, prompt: "app check" }, fresh))).toMatchObject({
        cached: false,
      });
    } finally {
      process.env.ENFORCE_APP_CHECK = "false";
    }
  });
});

describe("aiGenerate in a real project", () => {
  it("the fake provider is refused with failed-precondition naming AI_PROVIDER, before any spend", async () => {
    const orgId = await seedOrg(env.db);
    const saved = process.env.GCLOUD_PROJECT;
    process.env.GCLOUD_PROJECT = "acme-prod";
    try {
      const err = await refusal(call(callAs("owner", { orgId, prompt: "hi" })));
      expect(err.code).toBe("failed-precondition");
      expect(err.details).toEqual({ reason: "misconfigured", settings: ["AI_PROVIDER"] });
      expect(err.message).toContain('AI_PROVIDER is "fake"; set it to live');
    } finally {
      process.env.GCLOUD_PROJECT = saved;
    }
    expect(env.fake.control.requests()).toHaveLength(0);
    expect((await env.db.collection(`orgs/${orgId}/usage`).listDocuments()).length).toBe(0);
  });
});

describe("aiGenerate with a controlled clock", () => {
  it("rate limit: refused at the limit, served again once the hinted wait has passed", async () => {
    const orgId = await seedOrg(env.db, { entitlements: { aiCallsPerMinutePerUser: 3 } });
    let now = new Date("2026-06-10T10:00:00Z");
    const deps = aiGenerateDeps({ now: () => now });
    for (let i = 0; i < 3; i++) await handleAiGenerate(deps, OWNER, { orgId, prompt: `burst ${i}` });
    const refused = await refusal(handleAiGenerate(deps, OWNER, { orgId, prompt: "one more" }));
    expect(refused).toMatchObject({
      code: "resource-exhausted",
      details: { reason: "rate-limit", retryAfterSeconds: 20 },
    });
    now = new Date(now.getTime() + 19_000);
    expect(await refusal(handleAiGenerate(deps, OWNER, { orgId, prompt: "too soon" }))).toMatchObject({
      details: { reason: "rate-limit", retryAfterSeconds: 1 },
    });
    now = new Date(now.getTime() + 1_000);
    expect(await handleAiGenerate(deps, OWNER, { orgId, prompt: "on time" })).toMatchObject({
      cached: false,
    });
  });

  it("cache: an entry is served until its TTL ends, then the provider is called again", async () => {
    const orgId = await seedOrg(env.db);
    let now = new Date("2026-06-10T10:00:00Z");
    const deps = aiGenerateDeps({ now: () => now });
    await handleAiGenerate(deps, OWNER, { orgId, prompt: "ttl" });
    now = new Date(now.getTime() + 3_600_000 - 1);
    expect(await handleAiGenerate(deps, OWNER, { orgId, prompt: "ttl" })).toMatchObject({ cached: true });
    now = new Date(now.getTime() + 1);
    expect(await handleAiGenerate(deps, OWNER, { orgId, prompt: "ttl" })).toMatchObject({ cached: false });
    expect(env.fake.control.requests()).toHaveLength(2);
  });

  it("usage is counted in the month of the call, in UTC", async () => {
    const orgId = await seedOrg(env.db);
    const deps = aiGenerateDeps({ now: () => new Date("2026-06-30T23:59:59Z") });
    const out = await handleAiGenerate(deps, OWNER, { orgId, prompt: "end of June" });
    expect(out.remaining.period).toBe("2026-06");
    expect(await usageOf(env.db, orgId, "2026-06")).toMatchObject({ calls: 1 });
    const july = await handleAiGenerate(
      aiGenerateDeps({ now: () => new Date("2026-07-01T00:00:00Z") }),
      OWNER,
      { orgId, prompt: "July" },
    );
    expect(july.remaining).toMatchObject({ period: "2026-07", calls: 99 });
  });
});
