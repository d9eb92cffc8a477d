import { describe, expect, it } from "vitest";
import { cacheKey, normalizePrompt } from "./cache.js";

describe("normalizePrompt", () => {
  it("drops outer blank space, trailing spaces per line and CR line ends", () => {
    expect(normalizePrompt("  Hello \r\nworld\t\r\n\n")).toBe("Hello\nworld");
  });
  it("composes Unicode (NFC), so visually equal prompts share a key", () => {
    expect(normalizePrompt("cafe\u0301")).toBe("caf\u00e9");
  });
  it("keeps inner spacing and case, which can change the meaning", () => {
    expect(normalizePrompt("a  b\n    indented")).toBe("a  b\n    indented");
    expect(normalizePrompt("ABC")).not.toBe(normalizePrompt("abc"));
  });
});

describe("cacheKey", () => {
  const key = (org: string, model: string, max: number, prompt: string) => cacheKey(org, model, max, prompt);
  it("is a stable sha-256 hex, equal for prompts that normalize alike", () => {
    expect(key("o1", "m", 256, "Hi ")).toMatch(/^[0-9a-f]{64}$/);
    expect(key("o1", "m", 256, "Hi ")).toBe(key("o1", "m", 256, "\nHi"));
  });
  it("differs by org, model, output limit and prompt", () => {
    const base = key("o1", "m", 256, "Hi");
    expect(
      new Set([
        base,
        key("o2", "m", 256, "Hi"),
        key("o1", "n", 256, "Hi"),
        key("o1", "m", 512, "Hi"),
        key("o1", "m", 256, "Ho"),
      ]).size,
    ).toBe(5);
  });
  it("cannot be forged by moving text between fields", () => {
    expect(key("o1", "m-x", 256, "y")).not.toBe(key("o1", "m", 256, "x-y"));
    expect(key("o1,m", "x", 1, "p")).not.toBe(key("o1", "m,x", 1, "p"));
  });
});
