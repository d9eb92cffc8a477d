import { anthropicProvider } from "./anthropic.js";
import { geminiProvider } from "./gemini.js";
import type { ModelSpec, ProviderKind } from "./models.js";
import { openAiCompatibleProvider } from "./openai-compatible.js";
import type { AiProvider } from "./provider.js";

export interface ProviderConfig {
  /** "fake" sends every model, by its provider's model name, to the OpenAI-compatible server at `baseURL`. */
  mode: "fake" | "live";
  baseURL: string;
  timeoutMs: number;
  /** Read lazily, so only the key of the provider in use is ever touched. */
  key: (provider: ProviderKind) => string;
}

/** The adapter that serves `spec` under `config`. */
export function selectProvider(spec: ModelSpec, config: ProviderConfig): AiProvider {
  const timeoutMs = config.timeoutMs;
  if (config.mode === "fake") {
    return openAiCompatibleProvider({ apiKey: "fake", baseURL: config.baseURL, timeoutMs });
  }
  switch (spec.provider) {
    case "openai":
      return openAiCompatibleProvider({ apiKey: config.key("openai"), baseURL: undefined, timeoutMs });
    case "anthropic":
      return anthropicProvider({ apiKey: config.key("anthropic"), baseURL: undefined, timeoutMs });
    case "gemini":
      return geminiProvider({ apiKey: config.key("gemini"), baseURL: undefined, timeoutMs });
  }
}
