import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { anthropicProvider } from "../../../functions/src/ai/providers/anthropic.js";
import { type CallPolicy, callProvider } from "../../../functions/src/ai/providers/call.js";
import { geminiProvider } from "../../../functions/src/ai/providers/gemini.js";
import { openAiCompatibleProvider } from "../../../functions/src/ai/providers/openai-compatible.js";
import type { AiProvider } from "../../../functions/src/ai/providers/provider.js";
import { AppError } from "../../../functions/src/lib/errors.js";
import { type FakeAiProvider, fakeReply, startFakeAiProvider } from "../../fakes/ai-provider/index.js";

let fake: FakeAiProvider;
const sleeps: number[] = [];

beforeAll(async () => {
  fake = await startFakeAiProvider();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.control.reset();
  sleeps.length = 0;
});

function policy(overrides: Partial<CallPolicy> = {}): CallPolicy {
  return {
    timeoutMs: 15_000,
    maxAttempts: 3,
    backoffMs: 100,
    maxBackoffMs: 1_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 1,
    ...overrides,
  };
}

const adapters: [string, () => AiProvider, string][] = [
  [
    "openai-compatible",
    () => openAiCompatibleProvider({ apiKey: "k", baseURL: fake.openAiBaseUrl, timeoutMs: 15_000 }),
    "/v1/chat/completions",
  ],
  [
    "anthropic",
    () => anthropicProvider({ apiKey: "k", baseURL: fake.url, timeoutMs: 15_000 }),
    "/v1/messages",
  ],
  [
    "gemini",
    () => geminiProvider({ apiKey: "k", baseURL: fake.url, timeoutMs: 15_000 }),
    "/v1beta/models/fake-small:generateContent",
  ],
];

describe.each(adapters)("%s adapter against the fake", (_name, make, path) => {
  it("generate: returns the text and the provider's token counts", async () => {
    const reply = await callProvider(
      make(),
      { model: "fake-small", prompt: "Hello there", maxOutputTokens: 64 },
      policy(),
    );
    expect(reply).toEqual(fakeReply("fake-small", "Hello there", 64));
    expect(fake.control.requests()).toEqual([{ path, model: "fake-small", prompt: "Hello there" }]);
  });

  it("generate: passes the output limit through", async () => {
    const reply = await callProvider(
      make(),
      { model: "fake-small", prompt: "x".repeat(400), maxOutputTokens: 5 },
      policy(),
    );
    expect(reply.outputTokens).toBeLessThanOrEqual(5);
  });

  it("retry: 503 twice, then an answer, with growing backoff", async () => {
    fake.control.failNext({ status: 503, count: 2 });
    const reply = await callProvider(
      make(),
      { model: "fake-small", prompt: "again", maxOutputTokens: 64 },
      policy(),
    );
    expect(reply.text).toContain("again");
    expect(fake.control.requests()).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it("retry: 429 on every attempt ends as unavailable after the bounded attempts", async () => {
    fake.control.failNext({ status: 429, count: 10 });
    const err = await callProvider(
      make(),
      { model: "fake-small", prompt: "busy", maxOutputTokens: 64 },
      policy(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "unavailable", details: { reason: "provider-unavailable" } });
    expect((err as Error).message).not.toContain("Injected");
    expect(fake.control.requests()).toHaveLength(3);
  });

  it("no retry: a 400 is not retried and maps to unavailable", async () => {
    fake.control.failNext({ status: 400, count: 1 });
    const err = await callProvider(
      make(),
      { model: "fake-small", prompt: "bad", maxOutputTokens: 64 },
      policy(),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "unavailable" });
    expect(fake.control.requests()).toHaveLength(1);
  });

  it("timeout: a slow attempt is deadline-exceeded and not retried", async () => {
    fake.control.setLatency(400);
    const started = Date.now();
    const err = await callProvider(
      make(),
      { model: "fake-small", prompt: "slow", maxOutputTokens: 64 },
      policy({ timeoutMs: 100 }),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "deadline-exceeded", details: { reason: "provider-timeout" } });
    expect(Date.now() - started).toBeLessThan(380);
    expect(fake.control.requests()).toHaveLength(1);
  });
});

describe("callProvider policy", () => {
  const openai = () =>
    openAiCompatibleProvider({ apiKey: "k", baseURL: fake.openAiBaseUrl, timeoutMs: 15_000 });

  it("honours the provider's Retry-After, capped at the longest backoff", async () => {
    fake.control.failNext({ status: 429, count: 1, retryAfterSeconds: 0.5 });
    fake.control.failNext({ status: 429, count: 1, retryAfterSeconds: 30 });
    await callProvider(openai(), { model: "fake-small", prompt: "hint", maxOutputTokens: 64 }, policy());
    expect(sleeps).toEqual([500, 1_000]);
  });

  it("jitter keeps each wait between half and all of the exponential backoff", async () => {
    fake.control.failNext({ status: 500, count: 2 });
    await callProvider(
      openai(),
      { model: "fake-small", prompt: "j", maxOutputTokens: 64 },
      policy({ random: () => 0 }),
    );
    expect(sleeps).toEqual([50, 100]);
  });

  it("a provider that is down (connection refused) is unavailable", async () => {
    const down = await startFakeAiProvider();
    await down.stop();
    const provider = openAiCompatibleProvider({ apiKey: "k", baseURL: down.openAiBaseUrl, timeoutMs: 1_000 });
    const err = await callProvider(provider, { model: "m", prompt: "p", maxOutputTokens: 8 }, policy()).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "unavailable" });
  });
});

describe("fake provider HTTP controls", () => {
  it("POST /_fake/control injects failures and latency; GET /_fake/requests lists calls", async () => {
    const set = await fetch(`${fake.url}/_fake/control`, {
      method: "POST",
      body: JSON.stringify({ fail: { status: 502, count: 1 } }),
    });
    expect(set.status).toBe(200);
    const body = JSON.stringify({ model: "fake-small", messages: [{ role: "user", content: "hi" }] });
    const first = await fetch(`${fake.openAiBaseUrl}/chat/completions`, { method: "POST", body });
    expect(first.status).toBe(502);
    const second = await fetch(`${fake.openAiBaseUrl}/chat/completions`, { method: "POST", body });
    expect(second.status).toBe(200);
    const listed = (await (await fetch(`${fake.url}/_fake/requests`)).json()) as { count: number };
    expect(listed.count).toBe(2);
  });

  it("rejects a malformed request with 400 and unknown routes with 404", async () => {
    const bad = await fetch(`${fake.openAiBaseUrl}/chat/completions`, { method: "POST", body: "{nope" });
    expect(bad.status).toBe(400);
    const missing = await fetch(`${fake.url}/v1/embeddings`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
    expect(fake.control.requests()).toHaveLength(0);
  });

  it("is deterministic: the same prompt gives the same answer and usage", async () => {
    const provider = openAiCompatibleProvider({
      apiKey: "k",
      baseURL: fake.openAiBaseUrl,
      timeoutMs: 15_000,
    });
    const a = await callProvider(
      provider,
      { model: "fake-large", prompt: "same", maxOutputTokens: 64 },
      policy(),
    );
    const b = await callProvider(
      provider,
      { model: "fake-large", prompt: "same", maxOutputTokens: 64 },
      policy(),
    );
    expect(a).toEqual(b);
  });
});

describe("fake replies", () => {
  it("never exceed the output limit, even with multi-byte text", () => {
    for (const max of [0, 1, 3, 10]) {
      expect(fakeReply("fake-small", "日本語のテキスト🙂".repeat(20), max).outputTokens).toBeLessThanOrEqual(
        max,
      );
    }
  });
});
