import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { CALLABLE_NAMES, ERROR_REASON_NAMES } from "@hearth/schema";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { contractFiles } from "../../schema/src/json-schema-contract.js";

const CONTRACT = fileURLToPath(new URL("../../client/contract", import.meta.url));
const generated = contractFiles();

async function committed(dir = CONTRACT): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await committed(path)));
    else found.push(relative(CONTRACT, path));
  }
  return found.sort();
}

const load = (path: string) => JSON.parse(generated.get(path)!) as Record<string, unknown>;
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
const validator = (path: string) => ajv.compile(load(path));

describe("client/contract", () => {
  it("is what schema/src/generate-json-schema.ts --contract writes now (rerun it after a schema change)", async () => {
    expect(await committed()).toEqual([...generated.keys()].sort());
    for (const [path, text] of generated) {
      expect(await readFile(join(CONTRACT, path), "utf8"), path).toBe(text);
    }
  });

  it("index.json maps every callable to its three schemas and its error reasons", () => {
    const index = load("index.json") as {
      callables: Record<string, { input: string; output: string; error: string; errors: string[] }>;
      errors: Record<string, { codes: string[] }>;
    };
    expect(Object.keys(index.callables)).toEqual(CALLABLE_NAMES);
    expect(Object.keys(index.errors)).toEqual(ERROR_REASON_NAMES);
    for (const entry of Object.values(index.callables)) {
      for (const file of [entry.input, entry.output, entry.error])
        expect(generated.has(file), file).toBe(true);
      for (const reason of entry.errors) expect(index.errors[reason], reason).toBeDefined();
    }
  });

  it("inputs are described as a client sends them: InviteMemberInput's email is a bounded string", () => {
    const email = (load("callables/inviteMember.input.json").properties as Record<string, unknown>).email;
    expect(email).toEqual({ type: "string", maxLength: 254 });
    const validate = validator("callables/inviteMember.input.json");
    expect(validate({ orgId: "o1", email: " Ann@Example.com ", role: "viewer" })).toBe(true);
    expect(validate({ orgId: "o1", email: "ann@example.com", role: "owner" })).toBe(false);
    expect(validate({ orgId: "o1", email: "ann@example.com", role: "viewer", plan: "team" })).toBe(false);
  });

  it("outputs validate what a call answers", () => {
    const validate = validator("callables/aiGenerate.output.json");
    const answer = {
      text: "hi",
      cached: false,
      usage: { inputTokens: 1, outputTokens: 2, costMicros: 3 },
      remaining: { period: "2026-12", calls: 9, costMicros: 100, softCapReached: false },
    };
    expect(validate(answer)).toBe(true);
    expect(validate({ ...answer, usage: { inputTokens: 1 } })).toBe(false);
  });

  it("an error schema accepts the callable's reasons with their details, and no other reason", () => {
    const validate = validator("callables/inviteMember.error.json");
    const seatLimit = {
      code: "resource-exhausted",
      message: "full",
      details: { reason: "seat-limit", seats: 3 },
    };
    expect(validate(seatLimit)).toBe(true);
    expect(validate({ code: "permission-denied", message: "not a member" })).toBe(true);
    expect(validate({ ...seatLimit, details: { reason: "seat-limit" } })).toBe(false);
    expect(validate({ ...seatLimit, code: "not-found" })).toBe(false);
    expect(
      validate({ code: "aborted", message: "x", details: { reason: "hard-cap", metric: "calls" } }),
    ).toBe(false);
  });
});
