import { describe, expect, it } from "vitest";
import { MODELS } from "./models.js";
import { type ProviderConfig, selectProvider } from "./select.js";

function config(mode: ProviderConfig["mode"]) {
  const keysRead: string[] = [];
  const cfg: ProviderConfig = {
    mode,
    baseURL: "http://127.0.0.1:1/v1",
    timeoutMs: 1_000,
    key: (provider) => {
      keysRead.push(provider);
      return `key-for-${provider}`;
    },
  };
  return { cfg, keysRead };
}

describe("selectProvider", () => {
  it("fake mode: every model goes to the OpenAI-compatible server and no key is read", () => {
    const { cfg, keysRead } = config("fake");
    for (const spec of Object.values(MODELS))
      expect(selectProvider(spec, cfg).name).toBe("openai-compatible");
    expect(keysRead).toEqual([]);
  });

  it("live mode: each model goes to its own provider, reading only that provider's key", () => {
    const cases = [
      ["gpt-4o-mini", "openai-compatible", "openai"],
      ["claude-haiku", "anthropic", "anthropic"],
      ["gemini-flash", "gemini", "gemini"],
    ] as const;
    for (const [model, adapter, key] of cases) {
      const { cfg, keysRead } = config("live");
      expect(selectProvider(MODELS[model]!, cfg).name).toBe(adapter);
      expect(keysRead).toEqual([key]);
    }
  });
});
