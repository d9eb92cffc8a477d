import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileRuleset } from "../../emulator/src/rules/index.js";

/** The rules files Hearth deploys must load in the engine cleanly: no errors and no warnings. */
describe("the repo's rules files", () => {
  it.each(["firestore.rules", "storage.rules"])("%s compiles without issues", (file) => {
    const source = readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");
    const result = compileRuleset(source, file);
    expect(result.issues.map((i) => i.rendered)).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
