import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { doc, getDoc, setDoc, updateDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deleteMyAccount as deleteMyAccountFn,
  deleteMyAccountHandler,
} from "../../../functions/src/accounts/delete-my-account.js";
import { pseudonymOf } from "../../../functions/src/accounts/erase.js";
import { exportMyData as exportMyDataFn } from "../../../functions/src/accounts/export-my-data.js";
import { onUserCreated as onUserCreatedFn } from "../../../functions/src/accounts/on-user-created.js";
import { onUserDeleted as onUserDeletedFn } from "../../../functions/src/accounts/on-user-deleted.js";
import { systemClock } from "../../../functions/src/lib/clock.js";
import {
  auditOf,
  call,
  expectFailure,
  expectInvalid,
  newId,
  type OrgsTestEnv,
  seedOrg,
  startOrgsTestEnv,
  user,
} from "./support.js";

type Wrapped = (req: never) => unknown;
let env: OrgsTestEnv;
let onUserCreated: (user: unknown) => Promise<unknown>;
let onUserDeleted: (user: unknown) => Promise<unknown>;
let exportMyData: Wrapped;
let deleteMyAccount: Wrapped;

beforeAll(async () => {
  env = await startOrgsTestEnv();
  onUserCreated = env.fft.wrap(onUserCreatedFn) as never;
  onUserDeleted = env.fft.wrap(onUserDeletedFn) as never;
  exportMyData = env.fft.wrap(exportMyDataFn) as never;
  deleteMyAccount = env.fft.wrap(deleteMyAccountFn) as never;
});
afterAll(() => env.stop());

const record = (uid: string, extra: Record<string, unknown> = {}) =>
  env.fft.auth.makeUserRecord({ uid, email: `${uid}@Example.com`, displayName: "Ada", ...extra });
const roleOf = async (orgId: string, uid: string) =>
  (await env.db.doc(`orgs/${orgId}/members/${uid}`).get()).get("role") as string | undefined;

describe("onUserCreated", () => {
  it("profile: a new Auth user gets users/{uid}, readable by them only; email stays server-owned", async () => {
    const uid = newId("u");
    await onUserCreated(record(uid));
    await onUserCreated(record(uid, { displayName: "Replayed" }));
    const profile = (await env.db.doc(`users/${uid}`).get()).data()!;
    expect(profile).toMatchObject({ email: `${uid}@example.com`, displayName: "Ada", photoURL: null });
    expect(profile.createdAt).toBeDefined();

    const me = env.rules.authenticatedContext(uid).firestore();
    await assertSucceeds(getDoc(doc(me, `users/${uid}`)));
    await assertSucceeds(updateDoc(doc(me, `users/${uid}`), { displayName: "Ada L." }));
    await assertFails(updateDoc(doc(me, `users/${uid}`), { email: "forged@example.com" }));
    await assertFails(getDoc(doc(env.rules.authenticatedContext("someone").firestore(), `users/${uid}`)));
  });

  it("profile: a profile the client created first keeps its fields and gains the server ones", async () => {
    const uid = newId("u");
    const me = env.rules.authenticatedContext(uid).firestore();
    await assertSucceeds(setDoc(doc(me, `users/${uid}`), { displayName: "Chosen" }));
    await onUserCreated(record(uid));
    const profile = (await env.db.doc(`users/${uid}`).get()).data()!;
    expect(profile).toMatchObject({ displayName: "Chosen", email: `${uid}@example.com`, photoURL: null });
    expect(profile.createdAt).toBeDefined();
  });
});

describe("onUserCreated without email", () => {
  it("profile: an anonymous or phone user gets a profile with a null email", async () => {
    const uid = newId("u");
    await onUserCreated(env.fft.auth.makeUserRecord({ uid }));
    expect((await env.db.doc(`users/${uid}`).get()).data()).toMatchObject({ email: null, displayName: null });
  });
});

describe("exportMyData", () => {
  it("exportMyData: profile, memberships and own projects; nothing of other members", async () => {
    const uid = newId("u");
    await onUserCreated(record(uid));
    const a = await seedOrg(env.db, { own: "owner", [uid]: "member" });
    const b = await seedOrg(env.db, { [uid]: "owner" });
    await env.db.doc(`orgs/${a}/projects/mine`).set({
      name: "Mine",
      description: "d",
      status: "active",
      createdBy: uid,
      createdAt: new Date("2026-02-01T00:00:00Z"),
      updatedAt: new Date("2026-02-02T00:00:00Z"),
    });
    await env.db.doc(`orgs/${a}/projects/theirs`).set({ name: "Theirs", createdBy: "own" });

    const out = await call<{
      uid: string;
      profile: { email: string };
      memberships: { orgId: string; role: string; orgName: string }[];
      projects: { projectId: string; createdAt: string }[];
    }>(exportMyData, {}, user(uid));
    expect(out.uid).toBe(uid);
    expect(out.profile.email).toBe(`${uid}@example.com`);
    expect(out.memberships.map((m) => [m.orgId, m.role]).sort()).toEqual(
      [
        [a, "member"],
        [b, "owner"],
      ].sort(),
    );
    expect(out.projects).toEqual([
      expect.objectContaining({ projectId: "mine", createdAt: "2026-02-01T00:00:00.000Z" }),
    ]);
    expect(JSON.stringify(out)).not.toContain("own@example.com");
  });

  it("exportMyData: signed-out callers and unexpected input are refused", async () => {
    await expectFailure(call(exportMyData, {}, null), "unauthenticated");
    await expectInvalid(call(exportMyData, { uid: "someone-else" }, user("x")), ["(root)"]);
  });
});

describe("deleteMyAccount", () => {
  it("deleteMyAccount: refused while the caller owns an org with other members; nothing changes", async () => {
    const uid = newId("u");
    await onUserCreated(record(uid));
    const orgId = await seedOrg(env.db, { [uid]: "owner", mem: "member" });
    const err = await expectFailure(call(deleteMyAccount, {}, user(uid)), "failed-precondition", "owns-orgs");
    expect((err.details as { orgIds: string[] }).orgIds).toEqual([orgId]);
    expect(await roleOf(orgId, uid)).toBe("owner");
    expect((await env.db.doc(`users/${uid}`).get()).exists).toBe(true);
    await expectFailure(call(deleteMyAccount, {}, null), "unauthenticated");
    await expectInvalid(call(deleteMyAccount, { confirm: true }, user(uid)), ["(root)"]);
  });

  it("deleteMyAccount: removes memberships and profile, soft-deletes orgs where the caller was alone, deletes the Auth user last", async () => {
    const uid = newId("u");
    await onUserCreated(record(uid));
    const alone = await seedOrg(env.db, { [uid]: "owner" });
    const shared = await seedOrg(env.db, { own: "owner", [uid]: "admin" });
    const deletedAuth: string[] = [];
    const deps = {
      db: env.db,
      clock: systemClock,
      deleteAuthUser: async (id: string) => {
        // By now the data is gone, so a failure here can be retried safely.
        expect((await env.db.doc(`users/${id}`).get()).exists).toBe(false);
        deletedAuth.push(id);
      },
    };
    expect(await deleteMyAccountHandler(deps, { uid, email: null, emailVerified: false }, {})).toEqual({});
    expect(deletedAuth).toEqual([uid]);
    expect((await env.db.doc(`orgs/${alone}`).get()).get("deletedAt")).not.toBeNull();
    expect(await roleOf(shared, uid)).toBeUndefined();
    expect((await env.db.doc(`orgs/${shared}`).get()).get("memberCount")).toBe(1);
    // The entry stays, naming the deleted account by its pseudonym (account-erasure.test.ts has the rest).
    expect(await auditOf(env.db, shared)).toEqual([
      expect.objectContaining({
        actor: "system",
        action: "member.removed",
        target: `members/${pseudonymOf(uid)}`,
      }),
    ]);
  });
});

describe("onUserDeleted", () => {
  it("account deleted elsewhere: ownership passes to the longest-standing admin, memberships go, empty orgs are soft-deleted", async () => {
    const uid = newId("u");
    await onUserCreated(record(uid));
    const team = await seedOrg(env.db, { [uid]: "owner", m1: "member", a2: "admin", a1: "admin" });
    const solo = await seedOrg(env.db, { [uid]: "owner" });
    const other = await seedOrg(env.db, { own: "owner", [uid]: "viewer" });

    await onUserDeleted(record(uid));
    await onUserDeleted(record(uid)); // redelivery changes nothing more

    expect(await roleOf(team, uid)).toBeUndefined();
    expect(await roleOf(team, "a2")).toBe("owner");
    expect(await roleOf(team, "a1")).toBe("admin");
    const teamOrg = (await env.db.doc(`orgs/${team}`).get()).data()!;
    expect(teamOrg).toMatchObject({ ownerUid: "a2", memberCount: 3, deletedAt: null });
    expect((await auditOf(env.db, team)).map((a) => [a.actor, a.action])).toEqual([
      ["system", "org.ownership_transferred"],
    ]);
    expect((await env.db.doc(`orgs/${solo}`).get()).get("deletedAt")).not.toBeNull();
    expect(await roleOf(other, uid)).toBeUndefined();
    expect(await roleOf(other, "own")).toBe("owner");
    expect((await env.db.doc(`users/${uid}`).get()).exists).toBe(false);

    // The new owner acts as owner from the SDK at once.
    const heir = env.rules.authenticatedContext("a2").firestore();
    await assertSucceeds(updateDoc(doc(heir, `orgs/${team}`), { name: "Renamed by heir" }));
  });
});
