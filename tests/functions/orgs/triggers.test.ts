import { assertSucceeds } from "@firebase/rules-unit-testing";
import { collection, doc, serverTimestamp, setDoc } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onMemberWritten as onMemberWrittenFn } from "../../../functions/src/orgs/on-member-written.js";
import { onProjectWritten as onProjectWrittenFn } from "../../../functions/src/orgs/on-project-written.js";
import { removeMember as removeMemberFn } from "../../../functions/src/orgs/remove-member.js";
import { writtenAround } from "../../support/snapshots.js";
import { auditOf, call, type OrgsTestEnv, seedOrg, startOrgsTestEnv, user } from "./support.js";

// Each trigger gets the snapshots of a real write, read from the emulator around it (writtenAround).

let env: OrgsTestEnv;
let onProjectWritten: (event: unknown) => Promise<unknown>;
let onMemberWritten: (event: unknown) => Promise<unknown>;
let removeMember: (req: never) => unknown;

beforeAll(async () => {
  env = await startOrgsTestEnv();
  onProjectWritten = env.fft.wrap(onProjectWrittenFn) as never;
  onMemberWritten = env.fft.wrap(onMemberWrittenFn) as never;
  removeMember = env.fft.wrap(removeMemberFn) as never;
});
afterAll(() => env.stop());

describe("onProjectWritten", () => {
  it("project audit: a project a member creates from the SDK is audited with that member as actor, once", async () => {
    const orgId = await seedOrg(env.db, { own: "owner", mem: "member" });
    const web = env.rules.authenticatedContext("mem").firestore();
    // What addDoc does, with the generated id taken first so the document is also read before it exists.
    const ref = doc(collection(web, `orgs/${orgId}/projects`));
    const { before, after } = await writtenAround(env.db.doc(ref.path), () =>
      assertSucceeds(
        setDoc(ref, {
          name: "Roadmap",
          description: "Q3",
          status: "active",
          createdBy: "mem",
          createdAt: serverTimestamp(),
          updatedAt: serverTimestamp(),
        }),
      ),
    );
    expect(before.exists).toBe(false);
    expect(Math.abs(after.get("createdAt").toMillis() - Date.now())).toBeLessThan(60_000);
    const event = {
      id: `evt-${ref.id}`,
      params: { orgId, projectId: ref.id },
      authType: "app_user",
      authId: "mem",
      data: env.fft.makeChange(before, after),
    };
    await onProjectWritten(event);
    await onProjectWritten(event); // redelivery
    expect(await auditOf(env.db, orgId)).toEqual([
      expect.objectContaining({
        actor: "mem",
        action: "project.created",
        target: `projects/${ref.id}`,
        before: null,
        after: { name: "Roadmap", status: "active" },
      }),
    ]);
  });

  it("project audit: updates and deletes are audited; server writes show as system", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" });
    const ref = env.db.doc(`orgs/${orgId}/projects/p1`);
    const v1 = { name: "A", status: "active" };
    const v2 = { name: "B", status: "archived" };
    // The project exists already (its create event is not delivered); the writes are made with the Admin
    // SDK, and who made them is what each event's auth context says.
    await ref.set(v1);
    const update = await writtenAround(ref, v2);
    await onProjectWritten({
      id: "evt-u",
      params: { orgId, projectId: "p1" },
      authType: "app_user",
      authId: "own",
      data: env.fft.makeChange(update.before, update.after),
    });
    const removal = await writtenAround(ref, null);
    await onProjectWritten({
      id: "evt-d",
      params: { orgId, projectId: "p1" },
      authType: "service_account",
      authId: "svc@example.iam.gserviceaccount.com",
      data: env.fft.makeChange(removal.before, removal.after),
    });
    const audit = await auditOf(env.db, orgId);
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ["project.updated", "own"],
      ["project.deleted", "system"],
    ]);
    expect(audit[0]).toMatchObject({ before: v1, after: v2 });
  });

  it("project audit: writes under a deleted org (the purge) leave no audit entry behind", async () => {
    const orgId = await seedOrg(env.db, { own: "owner" });
    const ref = env.db.doc(`orgs/${orgId}/projects/p1`);
    await ref.set({ name: "A" });
    await env.db.doc(`orgs/${orgId}`).update({ deletedAt: new Date() });
    const purge = await writtenAround(ref, null);
    await onProjectWritten({
      id: "evt-purge",
      params: { orgId, projectId: "p1" },
      data: env.fft.makeChange(purge.before, purge.after),
    });
    expect(await auditOf(env.db, orgId)).toEqual([]);
  });
});

describe("onMemberWritten", () => {
  it("member count: a member written around the callables is counted, and the correction audited", async () => {
    const orgId = await seedOrg(env.db, { own: "owner", mem: "member" });
    const { before, after } = await writtenAround(env.db.doc(`orgs/${orgId}/members/extra`), {
      uid: "extra",
      role: "viewer",
      email: null,
    });
    const event = { params: { orgId, uid: "extra" }, data: env.fft.makeChange(before, after) };
    await onMemberWritten(event);
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("memberCount")).toBe(3);
    await onMemberWritten(event); // redelivery
    expect(await auditOf(env.db, orgId)).toEqual([
      expect.objectContaining({
        actor: "system",
        action: "org.member_count_corrected",
        before: { memberCount: 2 },
        after: { memberCount: 3 },
      }),
    ]);
  });

  it("member count: in sync after a callable changed it: nothing is written", async () => {
    // A real callable write (removeMember moves the count in its own transaction and audits it there), so
    // the log holds that callable's entry; the trigger must add nothing to it.
    const orgId = await seedOrg(env.db, { own: "owner", mem: "member" });
    const { before, after } = await writtenAround(env.db.doc(`orgs/${orgId}/members/mem`), () =>
      call(removeMember, { orgId, uid: "mem" }, user("own")),
    );
    await onMemberWritten({ params: { orgId, uid: "mem" }, data: env.fft.makeChange(before, after) });
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("memberCount")).toBe(1);
    expect((await auditOf(env.db, orgId)).map((a) => [a.action, a.actor])).toEqual([
      ["member.removed", "own"],
    ]);
  });
});
