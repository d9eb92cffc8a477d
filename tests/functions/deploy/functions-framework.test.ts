import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeployedCallables, serveDeployedCallables } from "./support.js";

/**
 * Undecodable call data through functions-framework's own request handling (its Express app and body
 * parser), as Cloud Run functions serves the deployed bundle: the guard still answers 400 `undecodable`,
 * a body that is not JSON at all is a 400 before any function code runs, and nothing is written.
 */

const INT64 = "type.googleapis.com/google.protobuf.Int64Value";
const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

let stack: DeployedCallables;
beforeAll(async () => {
  stack = await serveDeployedCallables({ server: "functions-framework" });
});
afterAll(() => stack?.stop());

describe("under functions-framework", () => {
  const bodies = [
    {
      label: "NaN as a tagged Int64",
      body: JSON.stringify({ data: { x: { "@type": INT64, value: "NaN" } } }),
      problem: "type-tag",
    },
    { label: "JSON nested 20,000 levels", body: `{"data":${deep(20_000)}}`, problem: "too-deep" },
    { label: "a __proto__ key", body: '{"data":{"__proto__":{"orgId":"org1"}}}', problem: "reserved-key" },
  ];

  it("every callable answers undecodable data with 400 invalid-argument/undecodable", async () => {
    for (const name of stack.names) {
      for (const { label, body, problem } of bodies) {
        const answer = await stack.call(name, undefined, { rawBody: body });
        expect([name, label, answer.http, answer.error?.details]).toEqual([
          name,
          label,
          400,
          { reason: "undecodable", problem },
        ]);
      }
    }
  });

  it("a body that is not JSON (a bare NaN) is a 400, never a 500", async () => {
    for (const name of stack.names) {
      const answer = await stack.call(name, undefined, { rawBody: '{"data":{"x":NaN}}' });
      expect([name, answer.http]).toEqual([name, 400]);
    }
  });

  it("nothing was written", async () => {
    expect([...(await stack.snapshot()).keys()]).toEqual([]);
  });
});
