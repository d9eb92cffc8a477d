import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import {
  collection,
  collectionGroup,
  doc,
  getDoc,
  getDocs,
  query,
  updateDoc,
  where,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptInvite as acceptInviteFn } from "../../../functions/src/orgs/accept-invite.js";
import { inviteMember as inviteMemberFn } from "../../../functions/src/orgs/invite-member.js";
import { hashInviteToken } from "../../../functions/src/orgs/invite-token.js";
import { revokeInvite as revokeInviteFn } from "../../../functions/src/orgs/revoke-invite.js";
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
let inviteMember: Wrapped;
let acceptInvite: Wrapped;
let revokeInvite: Wrapped;

beforeAll(async () => {
  env = await startOrgsTestEnv();
  inviteMember = env.fft.wrap(inviteMemberFn) as never;
  acceptInvite = env.fft.wrap(acceptInviteFn) as never;
  revokeInvite = env.fft.wrap(revokeInviteFn) as never;
});
afterAll(() => env.stop());

/** The link of the invitation mailed to `to` for `inviteId`, parsed. */
async function mailedLink(to: string, inviteId: string) {
  const mails = await env.db.collection("mail").where("to", "==", to).get();
  for (const m of mails.docs) {
    const match = /https?:\/\/\S+/.exec(m.get("message.text") as string);
    const url = new URL(match![0]);
    if (url.searchParams.get("inviteId") === inviteId) {
      return { url, mail: m.data(), token: url.searchParams.get("token")! };
    }
  }
  throw new Error(`no mail to ${to} for ${inviteId}`);
}

async function invite(orgId: string, by: string, email: string, role = "member") {
  const { inviteId } = await call<{ inviteId: string }>(inviteMember, { orgId, email, role }, user(by));
  const { token } = await mailedLink(email.toLowerCase(), inviteId);
  return { inviteId, token };
}

describe("inviteMember", () => {
  it("inviteMember: stores a pending invite with only the token's hash and mails the link", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" });
    const { inviteId } = await call<{ inviteId: string }>(
      inviteMember,
      { orgId, email: " Bob@Example.COM ", role: "admin" },
      user("own"),
    );
    const inv = (await env.db.doc(`orgs/${orgId}/invites/${inviteId}`).get()).data()!;
    expect(inv).toMatchObject({
      email: "bob@example.com",
      role: "admin",
      status: "pending",
      invitedBy: "own",
    });
    const ttl = inv.expiresAt.toMillis() - inv.createdAt.toMillis();
    expect(ttl).toBe(7 * 24 * 3600 * 1000);
    const { url, mail, token } = await mailedLink("bob@example.com", inviteId);
    expect(url.origin).toBe("https://app.example.test");
    expect(url.searchParams.get("orgId")).toBe(orgId);
    expect(inv.tokenHash).toBe(hashInviteToken(token));
    expect(JSON.stringify(inv)).not.toContain(token);
    expect(Object.keys(mail.message).sort()).toEqual(["html", "subject", "text"]);
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("pendingInvites")).toBe(1);
    expect(await auditOf(env.db, orgId)).toEqual([
      expect.objectContaining({ actor: "own", action: "invite.created", target: `invites/${inviteId}` }),
    ]);
    expect(JSON.stringify(await auditOf(env.db, orgId))).not.toContain(token);
  });

  it("inviteMember: re-inviting the same email replaces the pending invite (old link dead)", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" }, { seats: 2 });
    const first = await invite(orgId, "own", "carol@example.com");
    const second = await invite(orgId, "own", "CAROL@example.com", "viewer");
    expect(second.inviteId).not.toBe(first.inviteId);
    expect((await env.db.doc(`orgs/${orgId}/invites/${first.inviteId}`).get()).get("status")).toBe("revoked");
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("pendingInvites")).toBe(1);
    const carol = user("carol", { email: "carol@example.com" });
    await expectFailure(
      call(acceptInvite, { orgId, inviteId: first.inviteId, token: first.token }, carol),
      "failed-precondition",
      "invite-revoked",
    );
    expect(await call(acceptInvite, { orgId, ...second }, carol)).toEqual({ orgId, role: "viewer" });
  });

  it("inviteMember: seats count members plus pending invites", async () => {
    const orgId = await seedOrg(env.db, { own: "owner", adm: "admin" }, { seats: 3 });
    await invite(orgId, "adm", "one@example.com");
    await expectFailure(
      call(inviteMember, { orgId, email: "two@example.com", role: "member" }, user("adm")),
      "resource-exhausted",
      "seat-limit",
    );
    expect((await env.db.collection(`orgs/${orgId}/invites`).get()).size).toBe(1);
  });

  it("inviteMember: two admins racing for the last seat: exactly one invitation is sent", async () => {
    const orgId = await seedOrg(env.db, { own: "owner", adm: "admin" }, { seats: 3 });
    const outcomes = await Promise.allSettled([
      call(inviteMember, { orgId, email: "left@example.com", role: "member" }, user("own")),
      call(inviteMember, { orgId, email: "right@example.com", role: "member" }, user("adm")),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const loser = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason.code).toBe("resource-exhausted");
    const pending = await env.db.collection(`orgs/${orgId}/invites`).where("status", "==", "pending").get();
    expect(pending.size).toBe(1);
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("pendingInvites")).toBe(1);
  });

  it("inviteMember: an expired pending invite frees its seat when the next invite is sent", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" }, { seats: 2 });
    const old = await invite(orgId, "own", "late@example.com");
    await env.db
      .doc(`orgs/${orgId}/invites/${old.inviteId}`)
      .update({ expiresAt: new Date(Date.now() - 1000) });
    await invite(orgId, "own", "fresh@example.com");
    expect((await env.db.doc(`orgs/${orgId}/invites/${old.inviteId}`).get()).get("status")).toBe("expired");
  });

  it("inviteMember: role rules — admins cannot grant admin, members cannot invite, non-members are refused", async () => {
    const orgId = await seedOrg(env.db, { own: "owner", adm: "admin", mem: "member", vie: "viewer" });
    const data = (role: string) => ({ orgId, email: "x@example.com", role });
    await expectFailure(call(inviteMember, data("admin"), user("adm")), "permission-denied", "grant-admin");
    await expectFailure(call(inviteMember, data("viewer"), user("mem")), "permission-denied", "role");
    await expectFailure(call(inviteMember, data("viewer"), user("vie")), "permission-denied", "role");
    await expectFailure(call(inviteMember, data("viewer"), user("stranger")), "permission-denied");
    await expectFailure(call(inviteMember, data("viewer"), null), "unauthenticated");
    await expectFailure(
      call(inviteMember, { orgId, email: "MEM@example.com", role: "viewer" }, user("own")),
      "already-exists",
      "already-member",
    );
    expect((await env.db.collection(`orgs/${orgId}/invites`).get()).size).toBe(0);
  });

  it("inviteMember: bad input names the fields", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" });
    await expectInvalid(call(inviteMember, { orgId, email: "not-an-email", role: "member" }, user("own")), [
      "email",
    ]);
    await expectInvalid(call(inviteMember, { orgId, email: "a@b.co", role: "owner" }, user("own")), ["role"]);
    await expectInvalid(call(inviteMember, { orgId: "a/b", email: "a@b.co", role: "member" }, user("own")), [
      "orgId",
    ]);
    await expectInvalid(call(inviteMember, {}, user("own")), ["email", "orgId", "role"]);
    expect((await env.db.collection(`orgs/${orgId}/invites`).get()).size).toBe(0);
  });

  it("inviteMember: a real project whose APP_URL is the local frontend refuses, mailing no localhost link", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" });
    const email = `${orgId}@example.com`;
    const saved = { GCLOUD_PROJECT: process.env.GCLOUD_PROJECT, APP_URL: process.env.APP_URL };
    Object.assign(process.env, { GCLOUD_PROJECT: "acme-prod", APP_URL: "http://localhost:5173" });
    try {
      const err = await expectFailure(
        call(inviteMember, { orgId, email, role: "member" }, user("own")),
        "failed-precondition",
        "misconfigured",
      );
      expect(err.details).toEqual({ reason: "misconfigured", settings: ["APP_URL"] });
      expect((err as { message?: string }).message).toContain(
        'APP_URL is "http://localhost:5173", an address on the local machine',
      );
    } finally {
      Object.assign(process.env, saved);
    }
    expect((await env.db.collection(`orgs/${orgId}/invites`).get()).size).toBe(0);
    expect((await env.db.collection("mail").where("to", "==", email).get()).size).toBe(0);
  });
});

describe("acceptInvite", () => {
  it("acceptInvite: joins with the invited role; a retry answers the same; the member then reads the org from the SDK", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" });
    const { inviteId, token } = await invite(orgId, "own", "dave@example.com", "member");
    const outsider = env.rules.authenticatedContext("dave").firestore();
    await assertFails(getDoc(doc(outsider, `orgs/${orgId}`)));

    const dave = user("dave", { email: "Dave@Example.com" });
    expect(await call(acceptInvite, { orgId, inviteId, token }, dave)).toEqual({ orgId, role: "member" });
    expect(await call(acceptInvite, { orgId, inviteId, token }, dave)).toEqual({ orgId, role: "member" });

    const member = (await env.db.doc(`orgs/${orgId}/members/dave`).get()).data()!;
    expect(member).toMatchObject({
      uid: "dave",
      role: "member",
      email: "dave@example.com",
      invitedBy: "own",
    });
    const org = (await env.db.doc(`orgs/${orgId}`).get()).data()!;
    expect(org.memberCount).toBe(2);
    expect(org.pendingInvites).toBe(0);
    const inv = (await env.db.doc(`orgs/${orgId}/invites/${inviteId}`).get()).data()!;
    expect(inv).toMatchObject({ status: "accepted", acceptedBy: "dave" });
    const actions = (await auditOf(env.db, orgId)).map((a) => a.action).sort();
    expect(actions).toEqual(["invite.accepted", "invite.created", "member.joined"]);

    const web = env.rules.authenticatedContext("dave").firestore();
    await assertSucceeds(getDoc(doc(web, `orgs/${orgId}`)));
    // How a frontend finds its orgs: its own memberships across orgs.
    const mine = await assertSucceeds(
      getDocs(query(collectionGroup(web, "members"), where("uid", "==", "dave"))),
    );
    expect(mine.docs.map((d) => d.ref.parent.parent!.id)).toEqual([orgId]);
    await assertFails(getDocs(query(collectionGroup(web, "members"), where("uid", "==", "own"))));
    await assertSucceeds(getDocs(collection(web, `orgs/${orgId}/members`)));
    // A member may not read invitations or the audit log, nor promote themselves.
    await assertFails(getDocs(collection(web, `orgs/${orgId}/invites`)));
    await assertFails(getDocs(collection(web, `orgs/${orgId}/auditLog`)));
    await assertFails(updateDoc(doc(web, `orgs/${orgId}/members/dave`), { role: "owner" }));
  });

  it("acceptInvite: bound to the invited email, which must be verified", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" });
    const { inviteId, token } = await invite(orgId, "own", "erin@example.com");
    const data = { orgId, inviteId, token };
    await expectFailure(
      call(acceptInvite, data, user("eve", { email: "eve@example.com" })),
      "permission-denied",
      "email-mismatch",
    );
    await expectFailure(
      call(acceptInvite, data, user("erin", { email: "erin@example.com", verified: false })),
      "permission-denied",
      "email-unverified",
    );
    await expectFailure(
      call(acceptInvite, data, user("erin", { email: null })),
      "permission-denied",
      "email-unverified",
    );
    await expectFailure(call(acceptInvite, data, null), "unauthenticated");
    expect((await env.db.doc(`orgs/${orgId}/invites/${inviteId}`).get()).get("status")).toBe("pending");
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("memberCount")).toBe(1);
  });

  it("acceptInvite: a wrong token or unknown invite is not-found; a used one is refused to anyone else", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" });
    const { inviteId, token } = await invite(orgId, "own", "finn@example.com");
    const finn = user("finn", { email: "finn@example.com" });
    const wrong = `${token.slice(0, -4)}AAAA`;
    await expectFailure(
      call(acceptInvite, { orgId, inviteId, token: wrong }, finn),
      "not-found",
      "invite-not-found",
    );
    await expectFailure(
      call(acceptInvite, { orgId, inviteId: "missing", token }, finn),
      "not-found",
      "invite-not-found",
    );
    await call(acceptInvite, { orgId, inviteId, token }, finn);
    // Same email, another account (say, a second sign-in method): the invite is spent.
    const twin = user("finn-2", { email: "finn@example.com" });
    await expectFailure(
      call(acceptInvite, { orgId, inviteId, token }, twin),
      "failed-precondition",
      "invite-used",
    );
    // Once removed, the old link does not bring them back.
    await env.db.doc(`orgs/${orgId}/members/finn`).delete();
    await expectFailure(
      call(acceptInvite, { orgId, inviteId, token }, finn),
      "failed-precondition",
      "invite-used",
    );
  });

  it("acceptInvite: after revocation or expiry it fails with its own reason", async () => {
    const orgId = await seedOrg(env.db, { own: "owner", adm: "admin" });
    const revoked = await invite(orgId, "adm", "gina@example.com");
    expect(await call(revokeInvite, { orgId, inviteId: revoked.inviteId }, user("adm"))).toEqual({});
    const gina = user("gina", { email: "gina@example.com" });
    await expectFailure(
      call(acceptInvite, { orgId, ...revoked }, gina),
      "failed-precondition",
      "invite-revoked",
    );

    const stale = await invite(orgId, "adm", "hal@example.com");
    await env.db
      .doc(`orgs/${orgId}/invites/${stale.inviteId}`)
      .update({ expiresAt: new Date(Date.now() - 1) });
    const hal = user("hal", { email: "hal@example.com" });
    await expectFailure(
      call(acceptInvite, { orgId, ...stale }, hal),
      "failed-precondition",
      "invite-expired",
    );
    expect((await env.db.doc(`orgs/${orgId}/members/hal`).get()).exists).toBe(false);
  });

  it("acceptInvite: two simultaneous accepts of one invite make one member", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" });
    const { inviteId, token } = await invite(orgId, "own", "ivy@example.com", "viewer");
    const ivy = user("ivy", { email: "ivy@example.com" });
    const results = await Promise.all([
      call(acceptInvite, { orgId, inviteId, token }, ivy),
      call(acceptInvite, { orgId, inviteId, token }, ivy),
    ]);
    expect(results).toEqual([
      { orgId, role: "viewer" },
      { orgId, role: "viewer" },
    ]);
    const org = (await env.db.doc(`orgs/${orgId}`).get()).data()!;
    expect(org.memberCount).toBe(2);
    expect(org.pendingInvites).toBe(0);
    const joined = (await auditOf(env.db, orgId)).filter((a) => a.action === "member.joined");
    expect(joined).toHaveLength(1);
  });

  it("acceptInvite: two different accounts racing for one invite: exactly one wins", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" });
    const { inviteId, token } = await invite(orgId, "own", "jo@example.com");
    const outcomes = await Promise.allSettled([
      call(acceptInvite, { orgId, inviteId, token }, user("jo-a", { email: "jo@example.com" })),
      call(acceptInvite, { orgId, inviteId, token }, user("jo-b", { email: "jo@example.com" })),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason.details.reason).toBe("invite-used");
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("memberCount")).toBe(2);
  });

  it("acceptInvite: bad input names the fields", async () => {
    const someone = user("kim");
    await expectInvalid(call(acceptInvite, { orgId: "o", inviteId: "i", token: "short" }, someone), [
      "token",
    ]);
    await expectInvalid(call(acceptInvite, { orgId: "o" }, someone), ["inviteId", "token"]);
    await expectInvalid(call(acceptInvite, null, someone), ["inviteId", "orgId", "token"]);
  });
});

describe("revokeInvite", () => {
  it("revokeInvite: frees the seat, is idempotent, and respects roles", async () => {
    const orgId = await seedOrg(env.db, { own: "owner", adm: "admin", mem: "member" });
    const forAdmin = await invite(orgId, "own", "boss@example.com", "admin");
    const forMember = await invite(orgId, "adm", "pat@example.com");
    await expectFailure(
      call(revokeInvite, { orgId, inviteId: forAdmin.inviteId }, user("adm")),
      "permission-denied",
      "grant-admin",
    );
    await expectFailure(
      call(revokeInvite, { orgId, inviteId: forMember.inviteId }, user("mem")),
      "permission-denied",
      "role",
    );
    await expectFailure(
      call(revokeInvite, { orgId, inviteId: "nope" }, user("adm")),
      "not-found",
      "invite-not-found",
    );
    await call(revokeInvite, { orgId, inviteId: forMember.inviteId }, user("adm"));
    await call(revokeInvite, { orgId, inviteId: forMember.inviteId }, user("adm"));
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("pendingInvites")).toBe(1);
    const revokes = (await auditOf(env.db, orgId)).filter((a) => a.action === "invite.revoked");
    expect(revokes).toEqual([
      expect.objectContaining({ actor: "adm", target: `invites/${forMember.inviteId}` }),
    ]);
    await expectInvalid(call(revokeInvite, { orgId }, user("adm")), ["inviteId"]);
  });

  it("revokeInvite: an accepted invite is not pending any more", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" });
    const inv = await invite(orgId, "own", "quinn@example.com");
    await call(acceptInvite, { orgId, ...inv }, user("quinn", { email: "quinn@example.com" }));
    await expectFailure(
      call(revokeInvite, { orgId, inviteId: inv.inviteId }, user("own")),
      "failed-precondition",
      "invite-not-pending",
    );
  });

  it("invites: admins read invitations from the SDK, without any token; members do not", async () => {
    const orgId = await seedOrg(env.db, { own: "owner", adm: "admin", mem: "member" });
    const { token } = await invite(orgId, "adm", "rae@example.com");
    const admin = env.rules.authenticatedContext("adm").firestore();
    const snap = await assertSucceeds(getDocs(collection(admin, `orgs/${orgId}/invites`)));
    expect(snap.size).toBe(1);
    expect(JSON.stringify(snap.docs[0]!.data())).not.toContain(token);
    await assertFails(
      getDocs(collection(env.rules.authenticatedContext("mem").firestore(), `orgs/${orgId}/invites`)),
    );
    await assertFails(getDocs(collection(admin, "mail")));
  });
});
