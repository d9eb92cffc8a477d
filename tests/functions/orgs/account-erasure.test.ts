import { doc, setDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteMyAccountHandler } from "../../../functions/src/accounts/delete-my-account.js";
import { pseudonymOf } from "../../../functions/src/accounts/erase.js";
import { onUserCreated as onUserCreatedFn } from "../../../functions/src/accounts/on-user-created.js";
import { systemClock } from "../../../functions/src/lib/clock.js";
import { acceptInvite as acceptInviteFn } from "../../../functions/src/orgs/accept-invite.js";
import { createOrg as createOrgFn } from "../../../functions/src/orgs/create-org.js";
import { deleteOrg as deleteOrgFn } from "../../../functions/src/orgs/delete-org.js";
import { inviteMember as inviteMemberFn } from "../../../functions/src/orgs/invite-member.js";
import { revokeInvite as revokeInviteFn } from "../../../functions/src/orgs/revoke-invite.js";
import { transferOwnership as transferOwnershipFn } from "../../../functions/src/orgs/transfer-ownership.js";
import { periodOf } from "../../../functions/src/usage/caps.js";
import { closeReservation, reserve } from "../../../functions/src/usage/meter.js";
import { newProject } from "../../rules/support/payloads.js";
import { call, newId, type OrgsTestEnv, startOrgsTestEnv, user } from "./support.js";

/**
 * Issue 16, finding 8: after a realistic journey (orgs made, people invited and invited by others, an
 * invitation accepted and one revoked, a project, AI usage, ownership handed over, an org deleted), deleting
 * the account leaves no document anywhere that holds its uid or email address, in any collection at any
 * depth; the orgs' history stays, under a pseudonym.
 */

type Wrapped = (req: never) => unknown;
let env: OrgsTestEnv;
const fns: Record<string, Wrapped> = {};

beforeAll(async () => {
  env = await startOrgsTestEnv();
  fns.acceptInvite = env.fft.wrap(acceptInviteFn) as never;
  fns.createOrg = env.fft.wrap(createOrgFn) as never;
  fns.deleteOrg = env.fft.wrap(deleteOrgFn) as never;
  fns.inviteMember = env.fft.wrap(inviteMemberFn) as never;
  fns.revokeInvite = env.fft.wrap(revokeInviteFn) as never;
  fns.transferOwnership = env.fft.wrap(transferOwnershipFn) as never;
});
afterAll(() => env.stop());

/** Every document in the database, at any depth: path and JSON of its data. */
async function everyDocument(): Promise<{ path: string; json: string }[]> {
  const out: { path: string; json: string }[] = [];
  const walk = async (collections: Awaited<ReturnType<typeof env.db.listCollections>>) => {
    for (const collection of collections) {
      for (const ref of await collection.listDocuments()) {
        const snap = await ref.get();
        out.push({ path: ref.path, json: snap.exists ? JSON.stringify(snap.data()) : "" });
        await walk(await ref.listCollections());
      }
    }
  };
  await walk(await env.db.listCollections());
  return out;
}

async function tokenFor(email: string, inviteId: string): Promise<string> {
  const mails = await env.db.collection("mail").where("to", "==", email).get();
  for (const m of mails.docs) {
    const url = new URL(/https?:\/\/\S+/.exec(m.get("message.text") as string)![0]);
    if (url.searchParams.get("inviteId") === inviteId) return url.searchParams.get("token")!;
  }
  throw new Error(`no invitation mail to ${email}`);
}

describe("deleteMyAccount leaves no personal data", () => {
  it("after a realistic journey, no document in any collection holds the uid or the email", async () => {
    const eve = newId("eve");
    const bob = newId("bob");
    const ann = newId("ann");
    const email = (uid: string) => `${uid}@example.com`;
    const onUserCreated = env.fft.wrap(onUserCreatedFn) as (u: unknown) => Promise<unknown>;
    for (const uid of [eve, bob, ann]) {
      await onUserCreated(
        env.fft.auth.makeUserRecord({ uid, email: email(uid), displayName: `Name of ${uid}` }),
      );
    }
    const as = (uid: string) => user(uid, { email: email(uid) });
    const run = <T>(name: string, data: unknown, uid: string) => call<T>(fns[name]!, data, as(uid));

    // Eve's orgs: one she will hand over, one she deletes herself.
    const { orgId: lab } = await run<{ orgId: string }>("createOrg", { name: "Eve Lab" }, eve);
    const { orgId: scratch } = await run<{ orgId: string }>("createOrg", { name: "Scratch" }, eve);
    // Eve invites Bob (accepted) and someone else (revoked); Ann invites Eve (left pending).
    const { inviteId: toBob } = await run<{ inviteId: string }>(
      "inviteMember",
      { orgId: lab, email: email(bob), role: "admin" },
      eve,
    );
    await run("acceptInvite", { orgId: lab, inviteId: toBob, token: await tokenFor(email(bob), toBob) }, bob);
    const { inviteId: toCarol } = await run<{ inviteId: string }>(
      "inviteMember",
      { orgId: lab, email: "carol@example.com", role: "member" },
      eve,
    );
    await run("revokeInvite", { orgId: lab, inviteId: toCarol }, eve);
    const { orgId: annCo } = await run<{ orgId: string }>("createOrg", { name: "Ann Co" }, ann);
    await run("inviteMember", { orgId: annCo, email: email(eve), role: "member" }, ann);
    // A project Eve creates from the client, and AI usage she spends (settled, plus one still open).
    await setDoc(
      doc(env.rules.authenticatedContext(eve).firestore(), `orgs/${lab}/projects/p1`),
      newProject(eve),
    );
    const meter = { db: env.db, clock: systemClock, random: Math.random };
    const period = periodOf(new Date());
    const spend = {
      orgId: lab,
      period,
      uid: eve,
      hard: { calls: 100, costMicros: 2_000_000 },
      amount: { calls: 1, costMicros: 500 },
      account: { uid: eve, hard: { calls: 100, costMicros: 2_000_000 } },
    };
    await closeReservation(meter, await reserve(meter, spend), {
      inputTokens: 10,
      outputTokens: 20,
      costMicros: 300,
    });
    await reserve(meter, spend);
    // Eve hands the lab to Bob (she stays an admin) and deletes Scratch.
    await run("transferOwnership", { orgId: lab, uid: bob }, eve);
    await run("deleteOrg", { orgId: scratch }, eve);

    const before = await everyDocument();
    const carries = (d: { path: string; json: string }) =>
      d.path.includes(eve) || d.json.includes(eve) || d.json.toLowerCase().includes(email(eve));
    // The journey did leave Eve's uid and email in many places: the test can fail.
    expect(before.filter(carries).length).toBeGreaterThan(10);

    await deleteMyAccountHandler(
      { db: env.db, clock: systemClock, deleteAuthUser: async () => {} },
      { uid: eve, email: email(eve), emailVerified: true },
      {},
    );

    const after = await everyDocument();
    expect(after.filter(carries).map((d) => d.path)).toEqual([]);
    // The orgs' history is kept under a pseudonym: who did what, not who they were.
    const pseudonym = pseudonymOf(eve);
    const labAudit = after.filter((d) => d.path.startsWith(`orgs/${lab}/auditLog/`));
    expect(labAudit.some((d) => d.json.includes(`"actor":"${pseudonym}"`))).toBe(true);
    expect(after.find((d) => d.path === `orgs/${lab}/projects/p1`)?.json).toContain(
      `"createdBy":"${pseudonym}"`,
    );
    expect(after.find((d) => d.path === `orgs/${scratch}`)?.json).toContain(`"ownerUid":"${pseudonym}"`);
    expect(after.some((d) => d.path === `orgs/${lab}/usage/${period}/users/${pseudonym}`)).toBe(true);
    // Bob's and Ann's data are untouched.
    expect(after.some((d) => d.path === `orgs/${lab}/members/${bob}`)).toBe(true);
    expect(after.some((d) => d.path === `users/${ann}`)).toBe(true);
  });

  it("audit entries written before the people field existed are found by actor and target", async () => {
    const uid = newId("old");
    const orgId = newId("org");
    const log = env.db.collection(`orgs/${orgId}/auditLog`);
    await log.doc("a").set({
      actor: uid,
      action: "member.left",
      target: `members/${uid}`,
      before: { role: "member" },
      after: null,
      at: new Date(),
    });
    await log.doc("b").set({
      actor: "own",
      action: "member.removed",
      target: `members/${uid}`,
      before: { role: "viewer" },
      after: null,
      at: new Date(),
    });
    await deleteMyAccountHandler(
      { db: env.db, clock: systemClock, deleteAuthUser: async () => {} },
      { uid, email: `${uid}@example.com`, emailVerified: true },
      {},
    );
    const entries = (await log.get()).docs.map((d) => JSON.stringify(d.data()));
    expect(entries.filter((json) => json.includes(uid))).toEqual([]);
    expect(entries.every((json) => json.includes(pseudonymOf(uid)))).toBe(true);
  });
});
