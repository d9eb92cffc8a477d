import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAccountLimits, getPlan } from "../../../functions/src/billing/plans.js";
import { inviteMember as inviteMemberFn } from "../../../functions/src/orgs/invite-member.js";
import { revokeInvite as revokeInviteFn } from "../../../functions/src/orgs/revoke-invite.js";
import { call, expectFailure, newId, type OrgsTestEnv, seedOrg, startOrgsTestEnv, user } from "./support.js";

/**
 * Issue 16, finding 1: invitations are no spam relay. Inviting takes a verified email; every invitation
 * email counts against the org's hourly and daily mail limits (per plan) and the inviter's (per account,
 * across orgs), checked in the invite's transaction; names reach the email only cleaned.
 */

type Wrapped = (req: never) => unknown;
let env: OrgsTestEnv;
let inviteMember: Wrapped;
let revokeInvite: Wrapped;

beforeAll(async () => {
  env = await startOrgsTestEnv();
  inviteMember = env.fft.wrap(inviteMemberFn) as never;
  revokeInvite = env.fft.wrap(revokeInviteFn) as never;
});
afterAll(() => env.stop());

const mailCount = async () => (await env.db.collection("mail").count().get()).data().count;

function invite(orgId: string, by: string, email = `${newId("p")}@example.com`, verified = true) {
  return call<{ inviteId: string }>(inviteMember, { orgId, email, role: "member" }, user(by, { verified }));
}

describe("inviteMember: abuse limits", () => {
  it("an unverified inviter is refused and nothing is written", async () => {
    const orgId = await seedOrg(env.db, { spam: "owner" }, { seats: 100 });
    const before = await mailCount();
    await expectFailure(invite(orgId, "spam", undefined, false), "failed-precondition", "email-unverified");
    expect(await mailCount()).toBe(before);
    expect((await env.db.collection(`orgs/${orgId}/invites`).get()).size).toBe(0);
  });

  it("invite, revoke, invite again: the free org's hourly mail limit stops the loop", async () => {
    const orgId = await seedOrg(env.db, { looper: "owner" }, { seats: 100 });
    const perHour = getPlan("free").mail.perHour;
    for (let i = 0; i < perHour; i++) {
      const { inviteId } = await invite(orgId, "looper");
      await call(revokeInvite, { orgId, inviteId }, user("looper"));
    }
    const before = await mailCount();
    const err = await expectFailure(invite(orgId, "looper"), "resource-exhausted", "mail-limit");
    expect(err.details).toMatchObject({ scope: "org", window: "hour", limit: perHour });
    expect((err.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(3000);
    expect(await mailCount()).toBe(before);
    // The refused call wrote nothing: no invite beyond the ones made (all revoked).
    const pending = await env.db.collection(`orgs/${orgId}/invites`).where("status", "==", "pending").get();
    expect(pending.size).toBe(0);
  });

  it("concurrent invitations never pass the limit: each is sent, refused, or lost a race (typed)", async () => {
    const orgId = await seedOrg(env.db, { rush: "owner" }, { seats: 100 });
    const perHour = getPlan("free").mail.perHour;
    const results = await Promise.allSettled(
      Array.from({ length: perHour + 6 }, () => invite(orgId, "rush")),
    );
    let sent = results.filter((r) => r.status === "fulfilled").length;
    for (const r of results) {
      if (r.status === "rejected") {
        expect(["mail-limit", "contention"]).toContain(
          (r.reason as { details?: { reason?: string } }).details?.reason,
        );
      }
    }
    // Topped up one at a time: the limit is reached exactly, never passed.
    for (;;) {
      const next = await invite(orgId, "rush").catch((e: { details?: { reason?: string } }) => e);
      if ("inviteId" in next) sent++;
      else {
        expect(next.details?.reason).toBe("mail-limit");
        break;
      }
    }
    expect(sent).toBe(perHour);
    expect((await env.db.collection(`orgs/${orgId}/invites`).get()).size).toBe(perHour);
  });

  it("the per-account limit holds across orgs, whatever their plans allow", async () => {
    const limit = getAccountLimits().mail.perHour;
    const orgs = await Promise.all(
      Array.from({ length: 3 }, () => seedOrg(env.db, { hopper: "owner" }, { seats: 1000, plan: "team" })),
    );
    for (let i = 0; i < limit; i++) await invite(orgs[i % orgs.length]!, "hopper");
    const err = await expectFailure(invite(orgs[0]!, "hopper"), "resource-exhausted", "mail-limit");
    expect(err.details).toMatchObject({ scope: "account", window: "hour", limit });
    // Another admin of the same org is not held back by the hopper's limit.
    await env.db.doc(`orgs/${orgs[0]}/members/helper`).set({
      uid: "helper",
      role: "admin",
      email: "helper@example.com",
      displayName: null,
      joinedAt: new Date(),
      invitedBy: "hopper",
    });
    await expect(invite(orgs[0]!, "helper")).resolves.toHaveProperty("inviteId");
  });

  it("a name stored with control and bidi characters (before the rules refused them) reaches the email clean", async () => {
    const orgId = await seedOrg(env.db, { legacy: "owner" }, { seats: 100 });
    await env.db.doc(`orgs/${orgId}`).update({ name: "Acme\r\nBcc: everyone@example.com\u202Egnp.exe" });
    await env.db
      .doc("users/legacy")
      .set({ displayName: "Eve\u2066 Support\u0085", email: "legacy@example.com" });
    const email = `${newId("to")}@example.com`;
    await invite(orgId, "legacy", email);
    const mail = (await env.db.collection("mail").where("to", "==", email).get()).docs[0]!.data();
    expect(mail.message.subject).toBe(
      "Eve Support invited you to Acme Bcc: everyone@example.com gnp.exe on Hearth",
    );
    for (const part of [mail.message.subject, mail.message.text, mail.message.html]) {
      expect(part).not.toMatch(/[\r\u0000-\u0009\u000b-\u001f\u0085\u202a-\u202e\u2066-\u2069]/);
    }
  });
});
