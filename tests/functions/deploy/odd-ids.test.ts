import { Auth } from "firebase-admin/auth";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestEmulator, type TestEmulator } from "../../support/emulator.js";
import { type HttpFunction, type ServedFunctions, serveFunctions } from "../../support/http-functions.js";
import { endpointOf, loadDeployedFunctions } from "./support.js";

/**
 * Reserved and malformed document ids in every id field of every exported callable, sent over HTTP as a
 * signed-in frontend sends them: each is `invalid-argument` (reason `validation`, naming the field), never
 * `internal`, and nothing is written. ID tokens are accepted by a stand-in for the Admin SDK's
 * verifyIdToken (Google's Auth service cannot be reached), so calls get past sign-in to the handlers.
 */

/** A valid input per callable with id fields; the id fields are the ones listed in ID_FIELDS. */
const VALID: Record<string, Record<string, unknown>> = {
  acceptInvite: { orgId: "org1", inviteId: "inv1", token: "A".repeat(43) },
  aiGenerate: { orgId: "org1", prompt: "Hello" },
  changeMemberRole: { orgId: "org1", uid: "user2", role: "member" },
  createCheckoutSession: { orgId: "org1", planId: "pro" },
  createPortalSession: { orgId: "org1" },
  deleteOrg: { orgId: "org1" },
  inviteMember: { orgId: "org1", email: "ann@example.com", role: "member" },
  leaveOrg: { orgId: "org1" },
  removeMember: { orgId: "org1", uid: "user2" },
  revokeInvite: { orgId: "org1", inviteId: "inv1" },
  transferOwnership: { orgId: "org1", uid: "user2" },
};
const ID_FIELDS = ["orgId", "inviteId", "uid"];
/** Callables whose input carries no id. */
const WITHOUT_IDS = ["createOrg", "deleteMyAccount", "exportMyData"];

const ODD_IDS = ["__x__", "__name__", "____", ".", "..", "a/b", "/", "org1/../org2", "orgs/org1"];

let emulator: TestEmulator;
let served: ServedFunctions;
let callables: string[] = [];

beforeAll(async () => {
  emulator = await startTestEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = `${emulator.host}:${emulator.port}`;
  process.env.ENFORCE_APP_CHECK = "false";
  const fns: Record<string, unknown> = { ...(await loadDeployedFunctions(emulator.projectId)) };
  callables = Object.keys(fns)
    .filter((name) => endpointOf(fns[name]).callableTrigger)
    .sort();
  // The repo root's firebase-admin: the copy firebase-functions verifies callable ID tokens with.
  vi.spyOn(Auth.prototype, "verifyIdToken").mockImplementation(async (token: string) => {
    const uid = token.replace(/^uid:/, "");
    return { uid, sub: uid, email: `${uid}@example.com`, email_verified: true } as never;
  });
  served = await serveFunctions(Object.fromEntries(callables.map((n) => [n, fns[n] as HttpFunction])));
});
afterAll(async () => {
  vi.restoreAllMocks();
  await served?.close();
  await emulator?.stop();
});

/** Calls `name` signed in as `owner1` with `data`; the callable protocol's error (or the result). */
async function call(name: string, data: unknown) {
  const res = await fetch(served.url(name), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer uid:owner1" },
    body: JSON.stringify({ data }),
  });
  const body = (await res.json()) as {
    error?: { status: string; details?: { reason?: string; fields?: Record<string, string> } };
  };
  return { http: res.status, ...body };
}

const cases = Object.entries(VALID).flatMap(([name, valid]) =>
  Object.keys(valid)
    .filter((field) => ID_FIELDS.includes(field))
    .flatMap((field) => ODD_IDS.map((id) => ({ name, field, id, data: { ...valid, [field]: id } }))),
);

describe("reserved and malformed ids on every callable", () => {
  it("the table names every callable, with or without id fields", () => {
    expect([...Object.keys(VALID), ...WITHOUT_IDS].sort()).toEqual(callables);
  });

  it.each(cases)("$name: $field = $id is invalid-argument, never internal", async ({ name, field, data }) => {
    const answer = await call(name, data);
    expect(answer.error?.status).toBe("INVALID_ARGUMENT");
    expect(answer.http).toBe(400);
    expect(answer.error?.details?.reason).toBe("validation");
    expect(Object.keys(answer.error?.details?.fields ?? {})).toEqual([field]);
  });

  it("nothing was written", async () => {
    const { db } = await import("../../../functions/src/lib/firestore.js");
    expect((await db().listCollections()).map((c) => c.id)).toEqual([]);
  });
});
