import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { doc, getDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeMemberRole as changeMemberRoleFn } from "../../../functions/src/orgs/change-member-role.js";
import { leaveOrg as leaveOrgFn } from "../../../functions/src/orgs/leave-org.js";
import { removeMember as removeMemberFn } from "../../../functions/src/orgs/remove-member.js";
import { transferOwnership as transferOwnershipFn } from "../../../functions/src/orgs/transfer-ownership.js";
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
let changeMemberRole: Wrapped;
let removeMember: Wrapped;
let leaveOrg: Wrapped;
let transferOwnership: Wrapped;

beforeAll(async () => {
  env = await startOrgsTestEnv();
  changeMemberRole = env.fft.wrap(changeMemberRoleFn) as never;
  removeMember = env.fft.wrap(removeMemberFn) as never;
  leaveOrg = env.fft.wrap(leaveOrgFn) as never;
  transferOwnership = env.fft.wrap(transferOwnershipFn) as never;
});
afterAll(() => env.stop());

const roleOf = async (orgId: string, uid: string) =>
  (await env.db.doc(`orgs/${orgId}/members/${uid}`).get()).get("role") as string | undefined;
const team = () =>
  seedOrg(env.db, { own: "owner", adm: "admin", adm2: "admin", mem: "member", vie: "viewer" });

describe("changeMemberRole", () => {
  it("changeMemberRole: an admin moves a member to viewer; the change is audited with before and after", async () => {
    const orgId = await team();
    expect(await call(changeMemberRole, { orgId, uid: "mem", role: "viewer" }, user("adm"))).toEqual({});
    expect(await roleOf(orgId, "mem")).toBe("viewer");
    expect(await auditOf(env.db, orgId)).toEqual([
      expect.objectContaining({
        actor: "adm",
        action: "member.role_changed",
        target: "members/mem",
        before: { role: "member" },
        after: { role: "viewer" },
      }),
    ]);
  });

  it("changeMemberRole: the owner makes and unmakes admins", async () => {
    const orgId = await team();
    await call(changeMemberRole, { orgId, uid: "mem", role: "admin" }, user("own"));
    await call(changeMemberRole, { orgId, uid: "adm", role: "viewer" }, user("own"));
    expect([await roleOf(orgId, "mem"), await roleOf(orgId, "adm")]).toEqual(["admin", "viewer"]);
    // The role someone already has: nothing changes, nothing is audited.
    await call(changeMemberRole, { orgId, uid: "vie", role: "viewer" }, user("own"));
    expect((await auditOf(env.db, orgId)).map((a) => a.target)).toEqual(
      expect.arrayContaining(["members/mem", "members/adm"]),
    );
    expect(await auditOf(env.db, orgId)).toHaveLength(2);
  });

  it("changeMemberRole: refusals keep every role as it was", async () => {
    const orgId = await team();
    const c = (by: string, uid: string, role: string) =>
      call(changeMemberRole, { orgId, uid, role }, user(by));
    await expectFailure(c("adm", "adm2", "member"), "permission-denied", "target-admin");
    await expectFailure(c("adm", "mem", "admin"), "permission-denied", "grant-admin");
    await expectFailure(c("adm", "own", "viewer"), "permission-denied", "target-owner");
    await expectFailure(c("adm", "adm", "member"), "permission-denied", "self");
    await expectFailure(c("own", "own", "admin"), "permission-denied", "self");
    await expectFailure(c("mem", "vie", "member"), "permission-denied", "role");
    await expectFailure(c("vie", "vie", "admin"), "permission-denied", "role");
    await expectFailure(c("stranger", "mem", "viewer"), "permission-denied");
    await expectFailure(c("own", "ghost", "viewer"), "not-found", "member-not-found");
    await expectFailure(
      call(changeMemberRole, { orgId, uid: "mem", role: "viewer" }, null),
      "unauthenticated",
    );
    const roles = await Promise.all(["own", "adm", "adm2", "mem", "vie"].map((u) => roleOf(orgId, u)));
    expect(roles).toEqual(["owner", "admin", "admin", "member", "viewer"]);
    expect(await auditOf(env.db, orgId)).toEqual([]);
  });

  it("changeMemberRole: bad input names the fields", async () => {
    const orgId = await team();
    await expectInvalid(call(changeMemberRole, { orgId, uid: "mem", role: "owner" }, user("own")), ["role"]);
    await expectInvalid(call(changeMemberRole, { orgId, uid: "a/b", role: "viewer" }, user("own")), ["uid"]);
    await expectInvalid(call(changeMemberRole, { orgId, uid: "", role: 3 }, user("own")), ["role", "uid"]);
  });

  it("changeMemberRole: two admins changing the same member at once serialize; the audit chain matches", async () => {
    const orgId = await team();
    await Promise.all([
      call(changeMemberRole, { orgId, uid: "mem", role: "viewer" }, user("adm")),
      call(changeMemberRole, { orgId, uid: "mem", role: "member" }, user("adm2")),
    ]);
    const final = await roleOf(orgId, "mem");
    const changes = (await auditOf(env.db, orgId)) as { before: { role: string }; after: { role: string } }[];
    // Either order is fine, but each change saw the state the previous one left: no lost update.
    if (changes.length === 1) {
      expect(changes[0]).toMatchObject({ before: { role: "member" }, after: { role: "viewer" } });
      expect(final).toBe("member");
    } else {
      expect(changes).toHaveLength(2);
      const [a, b] = changes;
      expect(a!.before.role).toBe("member");
      expect(b!.before.role).toBe(a!.after.role);
      expect(final).toBe(b!.after.role);
    }
  });

  it("changeMemberRole: the owner demoting an admin while that admin acts: the admin's action never lands as admin", async () => {
    const orgId = await team();
    const results = await Promise.allSettled([
      call(changeMemberRole, { orgId, uid: "adm", role: "viewer" }, user("own")),
      call(changeMemberRole, { orgId, uid: "mem", role: "viewer" }, user("adm")),
    ]);
    expect(results[0]!.status).toBe("fulfilled");
    const audit = await auditOf(env.db, orgId);
    const byAdm = audit.filter((a) => a.actor === "adm");
    if (results[1]!.status === "fulfilled") {
      // It committed first, while adm was still an admin; then the demotion followed.
      expect(byAdm).toHaveLength(1);
    } else {
      expect(byAdm).toHaveLength(0);
      expect(await roleOf(orgId, "mem")).toBe("member");
    }
    expect(await roleOf(orgId, "adm")).toBe("viewer");
  });
});

describe("removeMember and leaveOrg", () => {
  it("removeMember: the removed member is refused by the rules on the next request", async () => {
    const orgId = await team();
    const web = env.rules.authenticatedContext("mem").firestore();
    await assertSucceeds(getDoc(doc(web, `orgs/${orgId}`)));
    expect(await call(removeMember, { orgId, uid: "mem" }, user("adm"))).toEqual({});
    await assertFails(getDoc(doc(web, `orgs/${orgId}`)));
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("memberCount")).toBe(4);
    expect(await auditOf(env.db, orgId)).toEqual([
      expect.objectContaining({ actor: "adm", action: "member.removed", target: "members/mem" }),
    ]);
  });

  it("removeMember: the owner is never removed; admins cannot remove admins; nobody removes themselves", async () => {
    const orgId = await team();
    const r = (by: string, uid: string) => call(removeMember, { orgId, uid }, user(by));
    await expectFailure(r("adm", "own"), "permission-denied", "target-owner");
    await expectFailure(r("adm", "adm2"), "permission-denied", "target-admin");
    await expectFailure(r("own", "own"), "permission-denied", "self");
    await expectFailure(r("mem", "vie"), "permission-denied", "role");
    await expectFailure(r("adm", "ghost"), "not-found", "member-not-found");
    await expectInvalid(call(removeMember, { orgId }, user("own")), ["uid"]);
    await r("own", "adm2");
    expect(await roleOf(orgId, "adm2")).toBeUndefined();
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("memberCount")).toBe(4);
  });

  it("leaveOrg: members leave; the owner cannot", async () => {
    const orgId = await team();
    expect(await call(leaveOrg, { orgId }, user("vie"))).toEqual({});
    expect(await roleOf(orgId, "vie")).toBeUndefined();
    await expectFailure(call(leaveOrg, { orgId }, user("own")), "failed-precondition", "owner-cannot-leave");
    await expectFailure(call(leaveOrg, { orgId }, user("vie")), "permission-denied");
    await expectInvalid(call(leaveOrg, { orgId: 7 }, user("own")), ["orgId"]);
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("memberCount")).toBe(4);
    expect((await auditOf(env.db, orgId)).map((a) => a.action)).toEqual(["member.left"]);
  });
});

describe("transferOwnership", () => {
  it("transferOwnership: the target becomes the only owner, the old owner an admin, ownerUid follows", async () => {
    const orgId = await team();
    expect(await call(transferOwnership, { orgId, uid: "mem" }, user("own"))).toEqual({});
    expect(await roleOf(orgId, "mem")).toBe("owner");
    expect(await roleOf(orgId, "own")).toBe("admin");
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("ownerUid")).toBe("mem");
    const owners = await env.db.collection(`orgs/${orgId}/members`).where("role", "==", "owner").get();
    expect(owners.docs.map((d) => d.id)).toEqual(["mem"]);
    expect(await auditOf(env.db, orgId)).toEqual([
      expect.objectContaining({ actor: "own", action: "org.ownership_transferred", target: "members/mem" }),
    ]);
    // The new owner may now leave? No: they are the owner. The old owner, now an admin, may.
    await expectFailure(call(leaveOrg, { orgId }, user("mem")), "failed-precondition", "owner-cannot-leave");
    await call(leaveOrg, { orgId }, user("own"));
  });

  it("transferOwnership: only the owner, only to an existing other member", async () => {
    const orgId = await team();
    await expectFailure(
      call(transferOwnership, { orgId, uid: "mem" }, user("adm")),
      "permission-denied",
      "not-owner",
    );
    await expectFailure(
      call(transferOwnership, { orgId, uid: "own" }, user("own")),
      "permission-denied",
      "self",
    );
    await expectFailure(
      call(transferOwnership, { orgId, uid: "ghost" }, user("own")),
      "not-found",
      "member-not-found",
    );
    await expectInvalid(call(transferOwnership, { orgId, uid: null }, user("own")), ["uid"]);
    expect(await roleOf(orgId, "own")).toBe("owner");
  });

  it("transferOwnership: two transfers at once still leave exactly one owner", async () => {
    const orgId = await team();
    await Promise.allSettled([
      call(transferOwnership, { orgId, uid: "adm" }, user("own")),
      call(transferOwnership, { orgId, uid: "mem" }, user("own")),
    ]);
    const owners = await env.db.collection(`orgs/${orgId}/members`).where("role", "==", "owner").get();
    expect(owners.size).toBe(1);
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("ownerUid")).toBe(owners.docs[0]!.id);
  });
});
