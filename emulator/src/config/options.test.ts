import { describe, expect, it } from "vitest";
import { resolveOptions } from "./options.js";

describe("resolveOptions", () => {
  it("defaults to 127.0.0.1:8080", () => {
    expect(resolveOptions({})).toMatchObject({ host: "127.0.0.1", port: 8080 });
  });

  it("accepts host:port functions emulator addresses, including IPv6", () => {
    expect(() => resolveOptions({ functionsEmulator: "127.0.0.1:5001" })).not.toThrow();
    expect(() => resolveOptions({ functionsEmulator: "[::1]:5001" })).not.toThrow();
    expect(() => resolveOptions({ functionsEmulator: "localhost" })).toThrow(/host:port/);
  });

  it("rejects bad ports and rules given twice", () => {
    expect(() => resolveOptions({ port: 70000 })).toThrow(/Invalid port/);
    expect(() => resolveOptions({ rules: "a.rules", rulesSource: "x" })).toThrow(/either/);
  });

  it("checks the storage options: a valid port, rules once", () => {
    expect(() => resolveOptions({ storage: { port: 9199 } })).not.toThrow();
    expect(() => resolveOptions({ storage: { port: -1 } })).toThrow(/Invalid storage port/);
    expect(() => resolveOptions({ storage: { port: 0, rules: "s.rules", rulesSource: "x" } })).toThrow(
      /either/,
    );
  });
});
