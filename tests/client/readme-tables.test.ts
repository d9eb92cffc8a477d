import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { README, REGIONS, regionOf, regionTables, withTables } from "../../scripts/contract/readme-tables.js";

describe("README's contract tables", () => {
  it("each marked region holds the table generated from schema/src/api (rerun scripts/contract/readme-tables.ts)", async () => {
    const readme = await readFile(README, "utf8");
    const tables = regionTables();
    for (const region of REGIONS) {
      expect(regionOf(readme, region).body.trim(), region).toBe(tables[region]);
    }
  });

  it("rewriting replaces only the regions, and a missing marker is an error", () => {
    const readme = [
      "# Title",
      "<!-- contract:callables:start -->",
      "old",
      "<!-- contract:callables:end -->",
      "between",
      "<!-- contract:errors:start --><!-- contract:errors:end -->",
      "tail",
    ].join("\n");
    const next = withTables(readme);
    expect(next.startsWith("# Title\n<!-- contract:callables:start -->\n\n| callable")).toBe(true);
    expect(next).toContain("<!-- contract:callables:end -->\nbetween\n<!-- contract:errors:start -->\n\n|");
    expect(next.endsWith("<!-- contract:errors:end -->\ntail")).toBe(true);
    expect(next).not.toContain("old");
    expect(withTables(next)).toBe(next);
    expect(() => withTables("no markers")).toThrow(/contract:callables:start/);
  });
});
