/**
 * The model catalog and price table: each Hearth model id (the ids plans list in `aiModels`) names the
 * provider that serves it, the provider's own model name, and list prices in micro-dollars per million
 * tokens (the same number as US dollars per billion tokens). Prices are the providers' published list
 * prices when written; update them here, in one place. Every id is a real model: with AI_PROVIDER=fake the
 * local fake provider answers for all of them, so the local stack and tests use the production catalog.
 */
export type ProviderKind = "openai" | "anthropic" | "gemini";

export interface ModelSpec {
  provider: ProviderKind;
  providerModel: string;
  inputMicrosPerMTok: number;
  outputMicrosPerMTok: number;
}

const USD = 1_000_000;

export const MODELS: Record<string, ModelSpec> = {
  "gpt-4o-mini": {
    provider: "openai",
    providerModel: "gpt-4o-mini",
    inputMicrosPerMTok: 0.15 * USD,
    outputMicrosPerMTok: 0.6 * USD,
  },
  "gpt-4o": {
    provider: "openai",
    providerModel: "gpt-4o",
    inputMicrosPerMTok: 2.5 * USD,
    outputMicrosPerMTok: 10 * USD,
  },
  "claude-haiku": {
    provider: "anthropic",
    providerModel: "claude-3-5-haiku-latest",
    inputMicrosPerMTok: 0.8 * USD,
    outputMicrosPerMTok: 4 * USD,
  },
  "claude-sonnet": {
    provider: "anthropic",
    providerModel: "claude-sonnet-4-0",
    inputMicrosPerMTok: 3 * USD,
    outputMicrosPerMTok: 15 * USD,
  },
  "gemini-flash": {
    provider: "gemini",
    providerModel: "gemini-2.0-flash",
    inputMicrosPerMTok: 0.1 * USD,
    outputMicrosPerMTok: 0.4 * USD,
  },
};

export function modelSpec(model: string): ModelSpec | undefined {
  return Object.hasOwn(MODELS, model) ? MODELS[model] : undefined;
}

/** Cost of a call in whole micro-dollars, rounded up so a tiny call is never free. */
export function costMicros(spec: ModelSpec, inputTokens: number, outputTokens: number): number {
  return Math.ceil(
    (inputTokens * spec.inputMicrosPerMTok + outputTokens * spec.outputMicrosPerMTok) / 1_000_000,
  );
}

/** Tokens a chat request adds around the prompt (roles, separators); generous on purpose. */
const MESSAGE_OVERHEAD_TOKENS = 16;

/**
 * An upper bound of the input tokens: byte-pair tokenizers never produce more tokens than UTF-8 bytes,
 * so the cost reserved before the call is never below what the provider will charge.
 */
export function maxInputTokens(prompt: string): number {
  return Buffer.byteLength(prompt, "utf8") + MESSAGE_OVERHEAD_TOKENS;
}
