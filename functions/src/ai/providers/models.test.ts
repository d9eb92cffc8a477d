import { describe, expect, it } from "vitest";
import { PLANS } from "../../billing/plans.js";
import { costMicros, MODELS, maxInputTokens, modelSpec } from "./models.js";

describe("model catalog", () => {
  it("prices every model any plan offers", () => {
    for (const plan of Object.values(PLANS)) {
      for (const model of plan.entitlements.aiModels)
        expect(modelSpec(model), `${plan.id}: ${model}`).toBeDefined();
    }
  });
  it("knows no model by an inherited property name", () => {
    expect(modelSpec("constructor")).toBeUndefined();
    expect(modelSpec("toString")).toBeUndefined();
  });
});

describe("costMicros", () => {
  const large = MODELS["gpt-4o"]!;
  it("prices input and output per million tokens", () => {
    // 2.50 and 10 US dollars per million tokens.
    expect(costMicros(large, 1_000_000, 0)).toBe(2_500_000);
    expect(costMicros(large, 1_000, 500)).toBe(1_000 * 2.5 + 500 * 10);
  });
  it("rounds a fraction of a micro-dollar up, so no call is free", () => {
    expect(costMicros(MODELS["gemini-flash"]!, 1, 0)).toBe(1);
    expect(costMicros(large, 0, 0)).toBe(0);
  });
});

describe("maxInputTokens", () => {
  it("is the UTF-8 byte count plus the chat overhead, an upper bound for BPE tokenizers", () => {
    expect(maxInputTokens("abc")).toBe(3 + 16);
    expect(maxInputTokens("é")).toBe(2 + 16);
    expect(maxInputTokens("🙂")).toBe(4 + 16);
  });
});
