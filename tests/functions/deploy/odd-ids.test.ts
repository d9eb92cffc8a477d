import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DeployedCallables, serveDeployedCallables, VALID_INPUTS } from "./support.js";

/**
 * Reserved and malformed document ids in every id field of every exported callable, sent over HTTP as a
 * signed-in frontend sends them: each is `invalid-argument` (reason `validation`, naming the field), never
 * `internal`, and nothing is written.
 */

const ID_FIELDS = ["orgId", "inviteId", "uid"];

const ODD_IDS = ["__x__", "__name__", "____", ".", "..", "a/b", "/", "org1/../org2", "orgs/org1"];

let stack: DeployedCallables;

beforeAll(async () => {
  stack = await serveDeployedCallables();
});
afterAll(() => stack?.stop());

const cases = Object.entries(VALID_INPUTS).flatMap(([name, valid]) =>
  Object.keys(valid)
    .filter((field) => ID_FIELDS.includes(field))
    .flatMap((field) => ODD_IDS.map((id) => ({ name, field, id, data: { ...valid, [field]: id } }))),
);

describe("reserved and malformed ids on every callable", () => {
  it("the table names every callable, with or without id fields", () => {
    expect(Object.keys(VALID_INPUTS).sort()).toEqual(stack.names);
  });

  it.each(cases)("$name: $field = $id is invalid-argument, never internal", async ({ name, field, data }) => {
    const answer = await stack.call(name, data);
    expect(answer.error?.status).toBe("INVALID_ARGUMENT");
    expect(answer.http).toBe(400);
    expect(answer.error?.details?.reason).toBe("validation");
    expect(Object.keys(answer.error?.details?.fields ?? {})).toEqual([field]);
  });

  it("nothing was written", async () => {
    expect([...(await stack.snapshot()).keys()]).toEqual([]);
  });
});
