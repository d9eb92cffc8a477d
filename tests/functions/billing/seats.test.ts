import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onMemberWriteSyncSeats, syncSeats } from "../../../functions/src/billing/sync-seats.js";
import { reconcileBilling } from "../../../functions/src/jobs/reconcile-billing.js";
import { type SnapshotPair, writtenAround } from "../../support/snapshots.js";
import {
  type BillingTestEnv,
  billingRecord,
  deliverAndApply,
  seedOrg,
  startBillingTestEnv,
  subscribe,
} from "./support.js";

let env: BillingTestEnv;

beforeAll(async () => {
  env = await startBillingTestEnv();
});
afterAll(() => env?.stop());

async function subscribedOrg(planId: "pro" | "team", members: Record<string, "owner" | "member">) {
  const orgId = await seedOrg(env.db, members);
  const { subscriptionId, events } = await subscribe(env, orgId, planId);
  await deliverAndApply(env, events);
  return { orgId, subscriptionId };
}

const addMember = (orgId: string, uid: string) =>
  env.db
    .doc(`orgs/${orgId}/members/${uid}`)
    .set({ role: "member", email: `${uid}@example.com`, joinedAt: new Date() });
const removeMember = (orgId: string, uid: string) => env.db.doc(`orgs/${orgId}/members/${uid}`).delete();
const stripeQuantity = async (id: string) =>
  (await env.stripe.subscriptions.retrieve(id)).items.data[0]?.quantity;
const updates = (id: string) =>
  env.fake.control.requests().filter((r) => r.method === "POST" && r.path === `/v1/subscriptions/${id}`);

describe("seat sync for per-seat plans", () => {
  it("checkout buys one seat per member", async () => {
    const { subscriptionId } = await subscribedOrg("team", { owner: "owner", a: "member" });
    expect(await stripeQuantity(subscriptionId)).toBe(2);
  });

  it("member added, then removed: the quantity follows the member count", async () => {
    const { orgId, subscriptionId } = await subscribedOrg("team", { owner: "owner", a: "member" });
    await addMember(orgId, "b");
    expect(await syncSeats(orgId, "write-1", env.deps)).toBe("updated");
    expect(await stripeQuantity(subscriptionId)).toBe(3);
    expect((await billingRecord(env.db, orgId)).seats).toBe(3);
    expect(updates(subscriptionId).at(-1)).toMatchObject({
      params: { items: [{ quantity: "3" }], proration_behavior: "create_prorations" },
    });

    await removeMember(orgId, "a");
    await removeMember(orgId, "b");
    expect(await syncSeats(orgId, "write-2", env.deps)).toBe("updated");
    expect(await stripeQuantity(subscriptionId)).toBe(1);
  });

  it("nothing changed: no Stripe call", async () => {
    const { orgId, subscriptionId } = await subscribedOrg("team", { owner: "owner" });
    const before = updates(subscriptionId).length;
    expect(await syncSeats(orgId, "write-1", env.deps)).toBe("unchanged");
    expect(updates(subscriptionId).length).toBe(before);
  });

  it("flat plans and free orgs are left alone", async () => {
    const { orgId, subscriptionId } = await subscribedOrg("pro", { owner: "owner" });
    await addMember(orgId, "b");
    expect(await syncSeats(orgId, "write-1", env.deps)).toBe("not-per-seat");
    expect(updates(subscriptionId)).toHaveLength(0);
    const free = await seedOrg(env.db);
    expect(await syncSeats(free, "write-1", env.deps)).toBe("not-per-seat");
  });

  it("a canceled subscription is not touched", async () => {
    const { orgId, subscriptionId } = await subscribedOrg("team", { owner: "owner" });
    await deliverAndApply(env, env.fake.control.cancelNow(subscriptionId));
    await addMember(orgId, "b");
    expect(await syncSeats(orgId, "write-1", env.deps)).toBe("not-per-seat");
  });

  it("Stripe fails: the sync throws (so the trigger retries) and changes nothing; the retry applies it once", async () => {
    const { orgId, subscriptionId } = await subscribedOrg("team", { owner: "owner" });
    await addMember(orgId, "b");
    env.fake.control.failNext({ pathPrefix: `/v1/subscriptions/${subscriptionId}`, status: 500, count: 1 });
    await expect(syncSeats(orgId, "write-9", env.deps)).rejects.toMatchObject({ statusCode: 500 });
    expect(await stripeQuantity(subscriptionId)).toBe(1);
    expect((await billingRecord(env.db, orgId)).seats).toBe(1);

    expect(await syncSeats(orgId, "write-9", env.deps)).toBe("updated");
    expect(await stripeQuantity(subscriptionId)).toBe(2);
    const keys = updates(subscriptionId).map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(1);
  });

  it("the reconcile job repairs a count that drifted (for example after retries ran out)", async () => {
    const { orgId, subscriptionId } = await subscribedOrg("team", { owner: "owner" });
    await addMember(orgId, "b");
    await addMember(orgId, "c");
    const result = await reconcileBilling(env.deps);
    expect(result.seatsUpdated).toBeGreaterThanOrEqual(1);
    expect(await stripeQuantity(subscriptionId)).toBe(3);
    const again = await reconcileBilling(env.deps);
    expect(updates(subscriptionId)).toHaveLength(1);
    expect(again.orgsFailed).toBe(0);
  });

  it("the reconcile job pages through every paid org", async () => {
    const orgs = await Promise.all([1, 2, 3].map(() => subscribedOrg("team", { owner: "owner" })));
    for (const { orgId } of orgs) await addMember(orgId, "b");
    const result = await reconcileBilling(env.deps, 2);
    expect(result.orgsChecked).toBeGreaterThanOrEqual(3);
    for (const { subscriptionId } of orgs) expect(await stripeQuantity(subscriptionId)).toBe(2);
  });

  it("the deployed trigger syncs on a member created or deleted, not on a role change", async () => {
    const { orgId, subscriptionId } = await subscribedOrg("team", { owner: "owner" });
    const wrapped = env.fft.wrap(onMemberWriteSyncSeats);
    const ref = env.db.doc(`orgs/${orgId}/members/b`);
    const deliver = (id: string, { before, after }: SnapshotPair) =>
      wrapped({ data: env.fft.makeChange(before, after), params: { orgId, uid: "b" }, id } as never);

    await deliver("e1", await writtenAround(ref, () => addMember(orgId, "b")));
    expect(await stripeQuantity(subscriptionId)).toBe(2);

    await deliver("e2", await writtenAround(ref, (member) => member.update({ role: "viewer" })));
    expect(updates(subscriptionId)).toHaveLength(1);

    await deliver("e3", await writtenAround(ref, () => removeMember(orgId, "b")));
    expect(await stripeQuantity(subscriptionId)).toBe(1);
  });
});
