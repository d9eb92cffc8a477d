import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_CALL_DEPTH } from "../../../functions/src/lib/decodable.js";
import { type DeployedCallables, serveDeployedCallables } from "./support.js";

/**
 * Call data the callable protocol's decoder cannot take (issue 16, finding 5): firebase-functions used to
 * fail inside onCall with HTTP 500 `internal`. Sent over HTTP to every exported callable, each is now
 * `invalid-argument` with `details.reason` `undecodable`, and nothing is written.
 */

const INT64 = "type.googleapis.com/google.protobuf.Int64Value";

function nested(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
}

/** Raw request bodies, each with the problem it should be refused for. */
const BODIES: { label: string; body: string; problem: string }[] = [
  {
    label: "NaN as a tagged Int64",
    body: JSON.stringify({ data: { name: { "@type": INT64, value: "NaN" } } }),
    problem: "type-tag",
  },
  {
    label: "an unknown @type",
    body: JSON.stringify({ data: { orgId: { "@type": "x.y/Z", value: 1 } } }),
    problem: "type-tag",
  },
  {
    label: "@type at the root",
    body: JSON.stringify({ data: { "@type": "type.googleapis.com/google.protobuf.Any" } }),
    problem: "type-tag",
  },
  {
    label: "a tagged value that is an object",
    body: JSON.stringify({ data: [{ "@type": INT64, value: { toString: 1 } }] }),
    problem: "type-tag",
  },
  { label: "JSON nested 20,000 levels", body: `{"data":${nested(20_000)}}`, problem: "too-deep" },
  {
    label: `JSON nested ${MAX_CALL_DEPTH + 1} levels`,
    body: `{"data":${nested(MAX_CALL_DEPTH + 1)}}`,
    problem: "too-deep",
  },
  { label: "a __proto__ key", body: '{"data":{"__proto__":{"orgId":"org1"}}}', problem: "reserved-key" },
];

let stack: DeployedCallables;

beforeAll(async () => {
  stack = await serveDeployedCallables();
});
afterAll(() => stack?.stop());

const cases = BODIES.flatMap((b) =>
  [
    "acceptInvite",
    "aiGenerate",
    "createCheckoutSession",
    "createOrg",
    "deleteMyAccount",
    "deleteOrg",
    "exportMyData",
    "inviteMember",
    "leaveOrg",
    "removeMember",
    "revokeInvite",
    "changeMemberRole",
    "transferOwnership",
    "createPortalSession",
  ].map((name) => ({ name, ...b })),
);

describe("undecodable call data on every callable", () => {
  it("the guarded handler keeps every property onCall sets (deploy and the emulator read them)", async () => {
    const { onCall } = await import("firebase-functions/https");
    const { createOrg } = await import("../../../functions/src/orgs/create-org.js");
    const describeProps = (f: object) =>
      Reflect.ownKeys(f).map((key) => {
        const d = Object.getOwnPropertyDescriptor(f, key)!;
        return [String(key), d.enumerable, typeof d.get];
      });
    expect(describeProps(createOrg)).toEqual(describeProps(onCall({}, async () => null)));
  });

  it("covers every exported callable", () => {
    expect([...new Set(cases.map((c) => c.name))].sort()).toEqual(stack.names);
  });

  it.each(cases)("$name: $label is invalid-argument/undecodable", async ({ name, body, problem }) => {
    const answer = await stack.call(name, undefined, { rawBody: body });
    expect(answer.http).toBe(400);
    expect(answer.error?.status).toBe("INVALID_ARGUMENT");
    expect(answer.error?.details).toEqual({ reason: "undecodable", problem });
  });

  it("a well-formed Int64 tag still decodes to its number (then fails validation as a number)", async () => {
    const answer = await stack.call("createOrg", { name: { "@type": INT64, value: "5" } });
    expect(answer.error?.status).toBe("INVALID_ARGUMENT");
    expect(answer.error?.details?.reason).toBe("validation");
    expect(Object.keys(answer.error?.details?.fields ?? {})).toEqual(["name"]);
  });

  it(`JSON nested ${MAX_CALL_DEPTH} levels reaches validation`, async () => {
    const answer = await stack.call("leaveOrg", undefined, {
      rawBody: `{"data":${nested(MAX_CALL_DEPTH - 1)}}`,
    });
    expect(answer.error?.details?.reason).toBe("validation");
  });

  it("nothing was written", async () => {
    expect([...(await stack.snapshot()).keys()]).toEqual([]);
  });
});
