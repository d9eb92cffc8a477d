import {
  AiGenerateInput,
  type AiGenerateInput as AiGenerateInputT,
  type AiGenerateOutput,
  type Entitlements,
  type Role,
} from "@hearth/schema";
import { FREE_PLAN_ID, getPlan } from "../billing/plans.js";
import { type Doc, refs } from "../db/refs.js";
import { defineCallable } from "../lib/callable.js";
import { type Clock, systemClock } from "../lib/clock.js";
import { AppError } from "../lib/errors.js";
import { db } from "../lib/firestore.js";
import { type Caller, checkMembership } from "../lib/guards.js";
import { logEvent, logFailure } from "../lib/logging.js";
import {
  AI_BASE_URL,
  AI_CACHE_TTL_SECONDS,
  AI_MAX_OUTPUT_TOKENS,
  AI_PROVIDER,
  AI_TIMEOUT_MS,
  ANTHROPIC_API_KEY,
  GEMINI_API_KEY,
  OPENAI_API_KEY,
} from "../lib/params.js";
import { requireProductionSettings } from "../lib/production-guard.js";
import { AI_SCALING } from "../lib/runtime.js";
import { type Caps, periodOf, remaining } from "../usage/caps.js";
import {
  type AccountAllowance,
  closeReservation,
  type MeterDeps,
  readAccountCommitted,
  readCommitted,
  reserve,
} from "../usage/meter.js";
import { takeRateLimit } from "../usage/rate-limit.js";
import { cacheKey, normalizePrompt, readCache, writeCache } from "./cache.js";
import { type CallPolicy, callProvider, DEFAULT_CALL_POLICY } from "./providers/call.js";
import { costMicros, type ModelSpec, maxInputTokens, modelSpec } from "./providers/models.js";
import type { AiProvider } from "./providers/provider.js";
import { selectProvider } from "./providers/select.js";

/** Viewers read; spending the org's AI budget takes the member role. */
export const AI_MIN_ROLE: Role = "member";

export interface AiGenerateDeps extends MeterDeps {
  provider: (spec: ModelSpec) => AiProvider;
  callPolicy: CallPolicy;
  maxOutputTokens: number;
  cacheTtlSeconds: number;
}

function capsOf(e: Pick<Entitlements, "aiCallsPerMonth" | "aiCostMicrosPerMonth">): Caps {
  return {
    soft: { calls: e.aiCallsPerMonth.soft, costMicros: e.aiCostMicrosPerMonth.soft },
    hard: { calls: e.aiCallsPerMonth.hard, costMicros: e.aiCostMicrosPerMonth.hard },
  };
}

/**
 * A free org's calls also count against its owner's free allowance, one per account across all the free
 * orgs it owns, so opening more free orgs does not multiply the free AI budget.
 */
function accountAllowance(org: Doc<"org">): AccountAllowance | undefined {
  if (org.plan !== FREE_PLAN_ID) return undefined;
  return { uid: org.ownerUid, hard: capsOf(getPlan(FREE_PLAN_ID).entitlements).hard };
}

async function remainingFor(
  deps: AiGenerateDeps,
  orgId: string,
  period: string,
  caps: Caps,
  account: AccountAllowance | undefined,
) {
  const [org, owner] = await Promise.all([
    readCommitted(deps.db, orgId, period),
    account ? readAccountCommitted(deps.db, account.uid, period) : undefined,
  ]);
  const left = remaining(org, caps);
  if (!owner || !account) return { period, ...left };
  // What is left is the smaller of the org's and the owner's free allowance.
  const ofAccount = remaining(owner, { soft: account.hard, hard: account.hard });
  return {
    period,
    calls: Math.min(left.calls, ofAccount.calls),
    costMicros: Math.min(left.costMicros, ofAccount.costMicros),
    softCapReached: left.softCapReached || ofAccount.softCapReached,
  };
}

/**
 * The AI call pipeline: membership and plan → per-user rate limit → cache → reserve the worst-case cost
 * against the hard caps → provider → settle the real cost (or release on failure) → cache → remaining.
 */
export async function handleAiGenerate(
  deps: AiGenerateDeps,
  { uid }: Caller,
  input: AiGenerateInputT,
): Promise<AiGenerateOutput> {
  const [orgSnap, member] = await Promise.all([
    refs.org(deps.db, input.orgId).get(),
    refs.member(deps.db, input.orgId, uid).get(),
  ]);
  checkMembership(orgSnap, member, AI_MIN_ROLE);
  // checkMembership refused a missing org.
  const org = orgSnap.data()!;
  const ent = org.entitlements;
  // The plan's first model the catalog serves: entitlements stored on an org may still list a retired id.
  const model = input.model ?? ent.aiModels.find((id) => modelSpec(id)) ?? ent.aiModels[0];
  if (!model || !ent.aiModels.includes(model)) {
    throw new AppError("invalid-argument", "This model is not available on the organization's plan.", {
      reason: "model-not-allowed",
      fields: { model: "not in the plan's models" },
      allowed: ent.aiModels,
    });
  }
  const spec = modelSpec(model);
  if (!spec) {
    logEvent("ai.model.unknown", { orgId: input.orgId, model });
    throw new AppError("failed-precondition", "This model is not configured.", {
      reason: "model-unavailable",
    });
  }
  const caps = capsOf(ent);
  const account = accountAllowance(org);
  const now = deps.clock.now();
  const period = periodOf(now);

  const prompt = normalizePrompt(input.prompt);
  const key = cacheKey(input.orgId, model, deps.maxOutputTokens, prompt);
  // The cache read overlaps the rate-limit transaction; a refused call never sees its result.
  const [, hit] = await Promise.all([
    takeRateLimit(deps, { action: "ai", orgId: input.orgId, uid, perMinute: ent.aiCallsPerMinutePerUser }),
    readCache(deps.db, key, now),
  ]);
  if (hit) {
    logEvent("ai.generate", { orgId: input.orgId, uid, model, cached: true });
    return {
      text: hit.text,
      cached: true,
      usage: { inputTokens: 0, outputTokens: 0, costMicros: 0 },
      remaining: await remainingFor(deps, input.orgId, period, caps, account),
    };
  }

  const estimate = costMicros(spec, maxInputTokens(prompt), deps.maxOutputTokens);
  const reservation = await reserve(deps, {
    orgId: input.orgId,
    period,
    uid,
    hard: caps.hard,
    amount: { calls: 1, costMicros: estimate },
    ...(account ? { account } : {}),
  });

  let reply: Awaited<ReturnType<typeof callProvider>>;
  try {
    reply = await callProvider(
      deps.provider(spec),
      { model: spec.providerModel, prompt, maxOutputTokens: deps.maxOutputTokens },
      deps.callPolicy,
    );
  } catch (err) {
    // Release now; if even that fails, settle-reservations.ts releases it once it is stale.
    await closeReservation(deps, reservation).catch(() =>
      logEvent("ai.release.deferred", { id: reservation.id }),
    );
    throw err;
  }

  const usage = {
    inputTokens: reply.inputTokens,
    outputTokens: reply.outputTokens,
    costMicros: costMicros(spec, reply.inputTokens, reply.outputTokens),
  };
  const [settled] = await Promise.all([
    closeReservation(deps, reservation, usage),
    // The answer is paid for; failing to cache it must not fail the call.
    writeCache(
      deps.db,
      { key, orgId: input.orgId, model, answer: { text: reply.text, usage } },
      now,
      deps.cacheTtlSeconds,
    ).catch((err: unknown) => logFailure("ai.cache.write_failed", err, { orgId: input.orgId })),
  ]);
  // A reservation released as stale before the answer came is not charged twice; the call is then free.
  if (!settled) logEvent("ai.settle.late", { orgId: input.orgId, id: reservation.id });
  logEvent("ai.generate", { orgId: input.orgId, uid, model, cached: false, ...usage });
  return {
    text: reply.text,
    cached: false,
    usage,
    remaining: await remainingFor(deps, input.orgId, period, caps, account),
  };
}

/** Production wiring: params and secrets are read here, at call time; a real project refuses the fake. */
export function aiGenerateDeps(clock: Clock = systemClock): AiGenerateDeps {
  const secrets = { openai: OPENAI_API_KEY, anthropic: ANTHROPIC_API_KEY, gemini: GEMINI_API_KEY };
  const timeoutMs = AI_TIMEOUT_MS.value();
  const aiProvider = AI_PROVIDER.value();
  requireProductionSettings({ AI_PROVIDER: aiProvider });
  const config = {
    mode: aiProvider === "live" ? ("live" as const) : ("fake" as const),
    baseURL: AI_BASE_URL.value(),
    timeoutMs,
    key: (provider: keyof typeof secrets) => secrets[provider].value(),
  };
  return {
    db: db(),
    clock,
    random: Math.random,
    provider: (spec) => selectProvider(spec, config),
    callPolicy: { ...DEFAULT_CALL_POLICY, timeoutMs },
    maxOutputTokens: AI_MAX_OUTPUT_TOKENS.value(),
    cacheTtlSeconds: AI_CACHE_TTL_SECONDS.value(),
  };
}

export const aiGenerate = defineCallable(
  "aiGenerate",
  { input: AiGenerateInput, deps: () => aiGenerateDeps(), handler: handleAiGenerate },
  {
    secrets: [OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY],
    // Each call spends the org's AI budget, so a captured App Check token must not buy a second one.
    replayProtected: true,
    // Three provider attempts with their timeouts and backoff must fit.
    timeoutSeconds: 300,
    ...AI_SCALING,
  },
);
