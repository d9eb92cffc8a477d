import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { addDoc, collection, doc, getDoc, serverTimestamp, updateDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expireInvites, scheduledExpireInvites } from "../../../functions/src/jobs/expire-invites.js";
import {
  purgeDeletedOrgs,
  purgeDeletedOrgsWith,
  scheduledPurgeDeletedOrgs,
} from "../../../functions/src/jobs/purge-deleted-orgs.js";
import { runJob } from "../../../functions/src/lib/job-run.js";
import { deleteOrg as deleteOrgFn } from "../../../functions/src/orgs/delete-org.js";
import { inviteMember as inviteMemberFn } from "../../../functions/src/orgs/invite-member.js";
import {
  auditOf,
  call,
  expectFailure,
  expectInvalid,
  type OrgsTestEnv,
  seedOrg,
  startOrgsTestEnv,
  user,
} from "./support.js";

type Wrapped = (req: never) => unknown;
let env: OrgsTestEnv;
let deleteOrg: Wrapped;
let inviteMember: Wrapped;
const DAY = 24 * 3600 * 1000;
const at = (ms: number) => ({ now: () => new Date(ms) });

beforeAll(async () => {
  env = await startOrgsTestEnv();
  deleteOrg = env.fft.wrap(deleteOrgFn) as never;
  inviteMember = env.fft.wrap(inviteMemberFn) as never;
});
afterAll(() => env.stop());

describe("deleteOrg", () => {
  it("deleteOrg: the owner soft-deletes; the org turns read-only for clients and refuses callables", async () => {
    const orgId = await seedOrg(env.db, { own: "owner", adm: "admin" });
    const admin = env.rules.authenticatedContext("adm").firestore();
    await assertSucceeds(updateDoc(doc(admin, `orgs/${orgId}`), { name: "Before" }));

    expect(await call(deleteOrg, { orgId }, user("own"))).toEqual({});
    expect(await call(deleteOrg, { orgId }, user("own"))).toEqual({});
    const org = await env.db.doc(`orgs/${orgId}`).get();
    expect(org.get("deletedAt")).not.toBeNull();
    expect((await auditOf(env.db, orgId)).map((a) => a.action)).toEqual(["org.deleted"]);

    await assertFails(updateDoc(doc(admin, `orgs/${orgId}`), { name: "After" }));
    await assertFails(
      addDoc(collection(admin, `orgs/${orgId}/projects`), {
        name: "p",
        description: "",
        status: "active",
        createdBy: "adm",
        createdAt: serverTimestamp(),
        updatedAt: serverTimestamp(),
      }),
    );
    await assertSucceeds(getDoc(doc(admin, `orgs/${orgId}`)));
    await expectFailure(
      call(inviteMember, { orgId, email: "new@example.com", role: "member" }, user("adm")),
      "failed-precondition",
      "org-deleted",
    );
  });

  it("deleteOrg: owner only; bad input names the field", async () => {
    const orgId = await seedOrg(env.db, { own: "owner", adm: "admin" });
    await expectFailure(call(deleteOrg, { orgId }, user("adm")), "permission-denied", "not-owner");
    await expectFailure(call(deleteOrg, { orgId }, user("stranger")), "permission-denied");
    await expectFailure(call(deleteOrg, { orgId }, null), "unauthenticated");
    await expectInvalid(call(deleteOrg, { orgId: "" }, user("own")), ["orgId"]);
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("deletedAt")).toBeNull();
  });
});

describe("purgeDeletedOrgs", () => {
  async function deletedOrgWithData(deletedAtMs: number, projects: number) {
    const orgId = await seedOrg(env.db, { own: "owner", mem: "member" });
    const batch = env.db.batch();
    for (let i = 0; i < projects; i++)
      batch.set(env.db.doc(`orgs/${orgId}/projects/p${i}`), { name: `p${i}` });
    // Nested data under a document that does not itself exist must go too.
    batch.set(env.db.doc(`orgs/${orgId}/usage/2026-01/shards/0`), { calls: 1 });
    batch.set(env.db.doc(`orgs/${orgId}/private/billing`), { stripeCustomerId: "cus_1" });
    batch.update(env.db.doc(`orgs/${orgId}`), { deletedAt: new Date(deletedAtMs) });
    await batch.commit();
    return orgId;
  }
  const exists = async (path: string) => (await env.db.doc(path).get()).exists;

  it("purge: only orgs past retention; the rest stay; bounded batches resume on the next run", async () => {
    // Real time: orgs soft-deleted by other tests in this file are then well inside retention.
    const now = Date.now();
    const old = await deletedOrgWithData(now - 31 * DAY, 12);
    const recent = await deletedOrgWithData(now - 29 * DAY, 2);
    const live = await seedOrg(env.db, { own: "owner" });

    // 12 projects, 2 members, the usage month (missing, with a shard), the shard, billing: two runs of 10.
    const job = purgeDeletedOrgsWith({ retentionDays: 30, maxDeletes: 10 });
    const first = await job({ db: env.db, clock: at(now) });
    expect(first).toMatchObject({ purged: 0, pending: 1, deleted: 10 });
    expect(await exists(`orgs/${old}`)).toBe(true);

    const second = await job({ db: env.db, clock: at(now) });
    expect(second.purged).toBe(1);
    expect(await exists(`orgs/${old}`)).toBe(false);
    expect((await env.db.doc(`orgs/${old}`).listCollections()).map((c) => c.id)).toEqual([]);
    expect(await exists(`orgs/${recent}`)).toBe(true);
    expect(await exists(`orgs/${recent}/projects/p0`)).toBe(true);
    expect(await exists(`orgs/${live}`)).toBe(true);

    const third = await job({ db: env.db, clock: at(now) });
    expect(third).toMatchObject({ purged: 0, deleted: 0 });
  });

  it("purge: runJob records the run in jobRuns", async () => {
    const { runId, result } = await runJob("purgeDeletedOrgs", purgeDeletedOrgs, {
      db: env.db,
      clock: at(Date.UTC(2020, 0, 1)),
    });
    const run = (await env.db.doc(`jobRuns/${runId}`).get()).data()!;
    expect(run).toMatchObject({ job: "purgeDeletedOrgs", status: "succeeded", result });
  });
});

describe("schedules", () => {
  it("schedules: the deployed schedules run their job through runJob and log it in jobRuns", async () => {
    const schedules: [typeof scheduledExpireInvites, string][] = [
      [scheduledExpireInvites, "expireInvites"],
      [scheduledPurgeDeletedOrgs, "purgeDeletedOrgs"],
    ];
    for (const [fn, job] of schedules) {
      const run = env.fft.wrap(fn as never) as (event: unknown) => Promise<void>;
      await run({});
      const runs = await env.db.collection("jobRuns").where("job", "==", job).get();
      expect(runs.docs.map((d) => d.get("status"))).toContain("succeeded");
    }
  });
});

describe("expireInvites", () => {
  it("expireInvites: expires stale pending invites, frees their seats, audits, and a rerun does nothing", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" }, { seats: 3 });
    const sent = async (email: string) =>
      (await call<{ inviteId: string }>(inviteMember, { orgId, email, role: "member" }, user("own")))
        .inviteId;
    const stale = await sent("stale@example.com");
    const fresh = await sent("fresh@example.com");
    await env.db.doc(`orgs/${orgId}/invites/${stale}`).update({ expiresAt: new Date(Date.now() - DAY) });
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("pendingInvites")).toBe(2);

    const first = await expireInvites({ db: env.db, clock: at(Date.now()) });
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect((await env.db.doc(`orgs/${orgId}/invites/${stale}`).get()).get("status")).toBe("expired");
    expect((await env.db.doc(`orgs/${orgId}/invites/${fresh}`).get()).get("status")).toBe("pending");
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("pendingInvites")).toBe(1);
    expect((await auditOf(env.db, orgId)).filter((a) => a.action === "invite.expired")).toEqual([
      expect.objectContaining({ actor: "system", target: `invites/${stale}` }),
    ]);

    const again = await expireInvites({ db: env.db, clock: at(Date.now()) });
    expect(again.expired).toBe(0);
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("pendingInvites")).toBe(1);
  });
});
