import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccountLimits } from "../../../functions/src/billing/plans.js";
import { createOrg as createOrgFn } from "../../../functions/src/orgs/create-org.js";
import { call, expectFailure, newId, type OrgsTestEnv, seedOrg, startOrgsTestEnv, user } from "./support.js";

/**
 * Issue 16, finding 2: one account cannot open orgs without end. createOrg is limited per account per
 * hour and per day, and in how many orgs the account owns at once; both are exact under concurrency.
 */

let env: OrgsTestEnv;
let createOrg: (req: never) => unknown;

beforeAll(async () => {
  env = await startOrgsTestEnv();
  createOrg = env.fft.wrap(createOrgFn) as never;
});
afterAll(() => env.stop());

const owned = async (uid: string) =>
  (await env.db.collection("orgs").where("ownerUid", "==", uid).get()).size;
const create = (uid: string, data: Record<string, unknown> = {}) =>
  call<{ orgId: string }>(createOrg, { name: "Org", ...data }, user(uid));

describe("createOrg: per-account limits", () => {
  it(`at most ${getAccountLimits().orgsCreated.perHour} orgs an hour; a retried call is not counted again`, async () => {
    const uid = newId("maker");
    const first = await create(uid, { requestId: "request-0001" });
    for (let i = 1; i < getAccountLimits().orgsCreated.perHour; i++) await create(uid);
    // The retry answers the org it made, even at the limit.
    await expect(create(uid, { requestId: "request-0001" })).resolves.toEqual(first);
    const err = await expectFailure(create(uid), "resource-exhausted", "org-create-limit");
    expect(err.details).toMatchObject({
      scope: "account",
      window: "hour",
      limit: getAccountLimits().orgsCreated.perHour,
    });
    expect(await owned(uid)).toBe(getAccountLimits().orgsCreated.perHour);
  });

  it("concurrent calls by one account never pass the limit", async () => {
    const uid = newId("racer");
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => create(uid)));
    for (const r of results) {
      if (r.status === "rejected") {
        expect(["org-create-limit", "contention"]).toContain(
          (r.reason as { details?: { reason?: string } }).details?.reason,
        );
      }
    }
    expect(await owned(uid)).toBeLessThanOrEqual(getAccountLimits().orgsCreated.perHour);
  });

  it(`an account owning ${getAccountLimits().orgsOwned} orgs (soft-deleted ones included) cannot create another`, async () => {
    const uid = newId("hoarder");
    const orgIds = await Promise.all(
      Array.from({ length: getAccountLimits().orgsOwned }, () => seedOrg(env.db, { [uid]: "owner" })),
    );
    await env.db.doc(`orgs/${orgIds[0]}`).update({ deletedAt: new Date() });
    const err = await expectFailure(create(uid), "resource-exhausted", "orgs-owned-limit");
    expect(err.details).toMatchObject({ scope: "account", limit: getAccountLimits().orgsOwned });
    expect(await owned(uid)).toBe(getAccountLimits().orgsOwned);
  });

  it("another account is not affected", async () => {
    await expect(create(newId("other"))).resolves.toHaveProperty("orgId");
  });
});
