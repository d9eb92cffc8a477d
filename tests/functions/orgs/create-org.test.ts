import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { doc, getDoc, setDoc, updateDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg as createOrgFn } from "../../../functions/src/orgs/create-org.js";
import {
  auditOf,
  call,
  expectFailure,
  expectInvalid,
  newId,
  type OrgsTestEnv,
  startOrgsTestEnv,
  user,
} from "./support.js";

let env: OrgsTestEnv;
let createOrg: (req: never) => unknown;

beforeAll(async () => {
  env = await startOrgsTestEnv();
  createOrg = env.fft.wrap(createOrgFn) as never;
});
afterAll(() => env.stop());

describe("createOrg", () => {
  it("createOrg: creates a free-plan org with the caller as sole owner, and audits it", async () => {
    const uid = newId("u");
    const { orgId } = await call<{ orgId: string }>(createOrg, { name: "  Acme  " }, user(uid));
    const org = (await env.db.doc(`orgs/${orgId}`).get()).data()!;
    expect(org).toMatchObject({
      name: "Acme",
      settings: {},
      ownerUid: uid,
      plan: "free",
      billingStatus: "none",
      memberCount: 1,
      deletedAt: null,
    });
    expect(org.entitlements.seats).toBe(3);
    const member = (await env.db.doc(`orgs/${orgId}/members/${uid}`).get()).data()!;
    expect(member).toMatchObject({ uid, role: "owner", email: `${uid}@example.com`, invitedBy: null });
    const audit = await auditOf(env.db, orgId);
    expect(audit).toEqual([
      expect.objectContaining({ actor: uid, action: "org.created", target: `orgs/${orgId}` }),
    ]);
  });

  it("createOrg: a retried call with the same requestId answers the same org and creates nothing more", async () => {
    const uid = newId("u");
    const data = { name: "Retry Inc", requestId: "3b1f8c2e-0d4a-4c55-9e0f-1a2b3c4d5e6f" };
    const [a, b] = await Promise.all([call(createOrg, data, user(uid)), call(createOrg, data, user(uid))]);
    const c = await call(createOrg, data, user(uid));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const mine = await env.db.collectionGroup("members").where("uid", "==", uid).get();
    expect(mine.size).toBe(1);
    expect(await auditOf(env.db, (a as { orgId: string }).orgId)).toHaveLength(1);
    // Another user with the same requestId gets an org of their own.
    const other = await call(createOrg, data, user(newId("u")));
    expect(other).not.toEqual(a);
  });

  it("createOrg: refuses a signed-out caller", async () => {
    await expectFailure(call(createOrg, { name: "Nope" }, null), "unauthenticated");
  });

  it("createOrg: bad input is invalid-argument with the fields named, and creates nothing", async () => {
    const uid = newId("u");
    await expectInvalid(call(createOrg, {}, user(uid)), ["name"]);
    await expectInvalid(call(createOrg, { name: "   " }, user(uid)), ["name"]);
    await expectInvalid(call(createOrg, { name: "x".repeat(101) }, user(uid)), ["name"]);
    await expectInvalid(call(createOrg, { name: "Line\nbreak" }, user(uid)), ["name"]);
    await expectInvalid(call(createOrg, { name: 42 }, user(uid)), ["name"]);
    await expectInvalid(call(createOrg, { name: "Ok", requestId: "a/b" }, user(uid)), ["requestId"]);
    await expectInvalid(call(createOrg, { name: "Ok", ownerUid: "someone" }, user(uid)), ["(root)"]);
    await expectInvalid(call(createOrg, "Acme", user(uid)), ["(root)"]);
    const mine = await env.db.collectionGroup("members").where("uid", "==", uid).get();
    expect(mine.size).toBe(0);
  });

  it("createOrg: from the JS SDK the owner reads the org; others are refused, and nobody writes server fields", async () => {
    const uid = newId("u");
    const { orgId } = await call<{ orgId: string }>(createOrg, { name: "Seen" }, user(uid));
    const owner = env.rules.authenticatedContext(uid).firestore();
    const stranger = env.rules.authenticatedContext(newId("u")).firestore();
    const snap = await assertSucceeds(getDoc(doc(owner, `orgs/${orgId}`)));
    expect(snap.get("name")).toBe("Seen");
    await assertSucceeds(getDoc(doc(owner, `orgs/${orgId}/members/${uid}`)));
    await assertFails(getDoc(doc(stranger, `orgs/${orgId}`)));
    await assertFails(getDoc(doc(env.rules.unauthenticatedContext().firestore(), `orgs/${orgId}`)));
    await assertFails(updateDoc(doc(owner, `orgs/${orgId}`), { plan: "team" }));
    await assertFails(updateDoc(doc(owner, `orgs/${orgId}`), { memberCount: 99 }));
    await assertFails(setDoc(doc(owner, `orgs/${orgId}/members/${newId("u")}`), { uid: "x", role: "admin" }));
    await assertFails(setDoc(doc(owner, `orgs/${orgId}/auditLog/forged`), { actor: uid, action: "x" }));
    await assertFails(setDoc(doc(owner, `orgs/${newId("org")}`), { name: "direct", ownerUid: uid }));
    await assertSucceeds(updateDoc(doc(owner, `orgs/${orgId}`), { name: "Renamed" }));
  });
});
