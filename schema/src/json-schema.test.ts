import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { sampleDocs } from "./documents/samples.fixture.js";
import { DOCUMENT_JSON_SCHEMAS, loadApiModules, writeJsonSchemas, zodExports } from "./json-schema.js";

let outDir: string;
const apiModules = {
  demo: { DemoInput: z.strictObject({ orgId: z.string().min(1) }), NOT_A_SCHEMA: 42, helper: () => 1 },
};

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "hearth-json-schema-"));
  await writeJsonSchemas(outDir, apiModules);
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

async function load(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(outDir, file), "utf8"));
}

describe("JSON Schema generation", () => {
  it("writes one file per registered document and one per api zod export", async () => {
    const files = (await readdir(outDir)).filter((f) => f.endsWith(".json")).sort();
    expect(files).toEqual(
      Object.keys(DOCUMENT_JSON_SCHEMAS)
        .map((n) => `${n}.json`)
        .sort(),
    );
    expect(await readdir(join(outDir, "api"))).toEqual(["DemoInput.json"]);
  });

  it("has a sample for every registered document", () => {
    expect(Object.keys(sampleDocs).sort()).toEqual(Object.keys(DOCUMENT_JSON_SCHEMAS).sort());
  });

  it("every file is a valid draft 2020-12 schema that accepts its sample and refuses a wrong one", async () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    for (const [name, { doc }] of Object.entries(sampleDocs)) {
      const schema = await load(`${name}.json`);
      expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
      const validate = ajv.compile(schema);
      expect(validate(doc), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(validate({ ...doc, unexpectedField: 1 }), `${name} with an unknown field`).toBe(false);
      expect(validate("not an object"), name).toBe(false);
    }
  });

  it("the Org schema carries the rules' limits and required server fields", async () => {
    const ajv = new Ajv2020.default({ strict: false });
    const validate = ajv.compile(await load("Org.json"));
    const org = sampleDocs.Org.doc;
    expect(validate({ ...org, name: "x".repeat(101) })).toBe(false);
    expect(validate({ ...org, billingStatus: "bogus" })).toBe(false);
    const { plan: _plan, ...withoutPlan } = org;
    expect(validate(withoutPlan)).toBe(false);
  });

  it("api schemas come out as JSON Schema too", async () => {
    const ajv = new Ajv2020.default({ strict: false });
    const validate = ajv.compile(await load("api/DemoInput.json"));
    expect(validate({ orgId: "o1" })).toBe(true);
    expect(validate({ orgId: "" })).toBe(false);
  });
});

describe("api module discovery", () => {
  it("zodExports keeps only zod schemas", () => {
    expect(Object.keys(zodExports(apiModules.demo))).toEqual(["DemoInput"]);
  });

  it("loadApiModules reads compiled modules and treats a missing folder as none", async () => {
    expect(await loadApiModules(join(outDir, "no-such-dir"))).toEqual({});
    const dir = await mkdtemp(join(tmpdir(), "hearth-api-"));
    try {
      await writeFile(join(dir, "things.js"), "export const answer = 42;\n");
      await writeFile(join(dir, "index.js"), "throw new Error('index is skipped');\n");
      await writeFile(join(dir, "things.js.map"), "{}");
      const modules = await loadApiModules(dir);
      expect(Object.keys(modules)).toEqual(["things"]);
      expect(modules.things?.answer).toBe(42);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
