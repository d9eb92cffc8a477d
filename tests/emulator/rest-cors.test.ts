/** CORS and the REST calls the browser SDK makes (XHR with credentials, `text/plain` JSON bodies). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator.js";

const ORIGIN = "http://localhost:5173";
let emu: TestEmulator;

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.stop();
});

const url = (path: string) => `http://${emu.host}:${emu.port}${path}`;
const documents = () => `/v1/projects/${emu.projectId}/databases/(default)/documents`;

/** The headers the web SDK's RestConnection sets on a unary call. */
const sdkHeaders = () => ({
  origin: ORIGIN,
  "content-type": "text/plain",
  "x-goog-api-client": "gl-js/ fire/12.0.0",
  "google-cloud-resource-prefix": `projects/${emu.projectId}/databases/(default)`,
  "x-goog-request-params": `project_id=${emu.projectId}`,
  "x-firebase-gmpid": "1:123:web:abc",
});

describe("CORS", () => {
  it("preflight: reflects the origin and the requested headers, allows credentials", async () => {
    const asked =
      "authorization,content-type,google-cloud-resource-prefix,x-firebase-appcheck,x-firebase-gmpid,x-goog-api-client,x-goog-request-params";
    const res = await fetch(url(`${documents()}:commit`), {
      method: "OPTIONS",
      headers: {
        origin: ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": asked,
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-allow-headers")).toBe(asked);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("preflight without a header list allows the SDK's headers; private network access is granted", async () => {
    const res = await fetch(url("/emulator/v1/projects/p:securityRules"), {
      method: "OPTIONS",
      headers: {
        origin: ORIGIN,
        "access-control-request-method": "PUT",
        "access-control-request-private-network": "true",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-headers")).toContain("x-goog-api-client");
    expect(res.headers.get("access-control-allow-private-network")).toBe("true");
  });

  it("every answer carries the headers: success, errors, unknown routes and emulator endpoints", async () => {
    const commit = await fetch(url(`${documents()}:commit`), {
      method: "POST",
      headers: sdkHeaders(),
      body: JSON.stringify({ writes: [] }),
    });
    expect(commit.status).toBe(200);
    expect(commit.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(commit.headers.get("access-control-allow-credentials")).toBe("true");
    for (const res of [
      await fetch(url("/nowhere"), { headers: { origin: ORIGIN } }),
      await fetch(url("/"), { headers: { origin: ORIGIN } }),
      await fetch(url(`${documents()}/c/missing`), { headers: { origin: ORIGIN } }),
    ]) {
      expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    }
  });

  it("without an Origin header the answer allows any origin", async () => {
    const res = await fetch(url("/"));
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("REST as the browser SDK calls it", () => {
  it("commit, batchGet (a JSON array), runQuery and runAggregationQuery with text/plain bodies", async () => {
    const name = `projects/${emu.projectId}/databases/(default)/documents/cors/a`;
    const post = (method: string, body: unknown, parent = documents()) =>
      fetch(url(`${parent}:${method}?key=fake-api-key`), {
        method: "POST",
        headers: sdkHeaders(),
        body: JSON.stringify(body),
      });
    const commit = await post("commit", {
      writes: [
        { update: { name, fields: { n: { integerValue: "3" } } }, currentDocument: { exists: false } },
      ],
    });
    expect(commit.status).toBe(200);
    expect(((await commit.json()) as { commitTime: string }).commitTime).toMatch(/^\d{4}-/);
    const got = (await (await post("batchGet", { documents: [name] })).json()) as Array<{
      found: { fields: { n: { integerValue: string } } };
      readTime: string;
    }>;
    expect(got).toHaveLength(1);
    expect(got[0]!.found.fields.n.integerValue).toBe("3");
    const query = { from: [{ collectionId: "cors" }], limit: 5 };
    const rows = (await (await post("runQuery", { structuredQuery: query })).json()) as unknown[];
    expect(rows).toHaveLength(1);
    const agg = (await (
      await post("runAggregationQuery", {
        structuredAggregationQuery: {
          structuredQuery: query,
          aggregations: [{ alias: "aggregate_0", count: {} }],
        },
      })
    ).json()) as Array<{ result: { aggregateFields: { aggregate_0: { integerValue: string } } } }>;
    expect(agg[0]!.result.aggregateFields.aggregate_0.integerValue).toBe("1");
  });

  it("an RPC the emulator does not serve answers UNIMPLEMENTED with a message the SDK surfaces", async () => {
    const res = await fetch(url(`${documents()}:executePipeline`), {
      method: "POST",
      headers: sdkHeaders(),
      body: "{}",
    });
    expect(res.status).toBe(501);
    const body = (await res.json()) as { error: { status: string; message: string } };
    expect(body.error.status).toBe("UNIMPLEMENTED");
    expect(body.error.message).toContain("executePipeline");
  });

  it("errors carry the status name the SDK maps (NOT_FOUND on an update of a missing document)", async () => {
    const name = `projects/${emu.projectId}/databases/(default)/documents/cors/none`;
    const res = await fetch(url(`${documents()}:commit`), {
      method: "POST",
      headers: sdkHeaders(),
      body: JSON.stringify({ writes: [{ update: { name, fields: {} }, currentDocument: { exists: true } }] }),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe("NOT_FOUND");
  });
});
