import { assertSucceeds } from "@firebase/rules-unit-testing";
import { addDoc, collection, serverTimestamp } from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onMemberWritten as onMemberWrittenFn } from "../../../functions/src/orgs/on-member-written.js";
import { onProjectWritten as onProjectWrittenFn } from "../../../functions/src/orgs/on-project-written.js";
import { auditOf, type OrgsTestEnv, seedOrg, startOrgsTestEnv } from "./support.js";

let env: OrgsTestEnv;
let onProjectWritten: (event: unknown) => Promise<unknown>;
let onMemberWritten: (event: unknown) => Promise<unknown>;

beforeAll(async () => {
  env = await startOrgsTestEnv();
  onProjectWritten = env.fft.wrap(onProjectWrittenFn) as never;
  onMemberWritten = env.fft.wrap(onMemberWrittenFn) as never;
});
afterAll(() => env.stop());

const snapshot = (data: Record<string, unknown> | null, path: string) =>
  env.fft.firestore.makeDocumentSnapshot(data ?? {}, path);

describe("onProjectWritten", () => {
  it("project audit: a project a member creates from the SDK is audited with that member as actor, once", async () => {
    const orgId = await seedOrg(env.db, { own: "owner", mem: "member" });
    const web = env.rules.authenticatedContext("mem").firestore();
    const ref = await assertSucceeds(
      addDoc(collection(web, `orgs/${orgId}/projects`), {
        name: "Roadmap",
        description: "Q3",
        status: "active",
        createdBy: "mem",
        createdAt: serverTimestamp(),
        updatedAt: serverTimestamp(),
      }),
    );
    const path = `orgs/${orgId}/projects/${ref.id}`;
    const stored = await env.db.doc(path).get();
    expect(Math.abs(stored.get("createdAt").toMillis() - Date.now())).toBeLessThan(60_000);
    // firebase-functions-test cannot put timestamps in a snapshot; the audit summary does not need them.
    const after = {
      name: stored.get("name"),
      status: stored.get("status"),
      createdBy: stored.get("createdBy"),
    };
    const event = {
      id: `evt-${ref.id}`,
      params: { orgId, projectId: ref.id },
      authType: "app_user",
      authId: "mem",
      data: env.fft.makeChange(snapshot(null, path), snapshot(after, path)),
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
    const path = `orgs/${orgId}/projects/p1`;
    const v1 = { name: "A", status: "active" };
    const v2 = { name: "B", status: "archived" };
    await onProjectWritten({
      id: "evt-u",
      params: { orgId, projectId: "p1" },
      authType: "app_user",
      authId: "own",
      data: env.fft.makeChange(snapshot(v1, path), snapshot(v2, path)),
    });
    await onProjectWritten({
      id: "evt-d",
      params: { orgId, projectId: "p1" },
      authType: "service_account",
      authId: "svc@example.iam.gserviceaccount.com",
      data: env.fft.makeChange(snapshot(v2, path), snapshot(null, path)),
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
    await env.db.doc(`orgs/${orgId}`).update({ deletedAt: new Date() });
    const path = `orgs/${orgId}/projects/p1`;
    await onProjectWritten({
      id: "evt-purge",
      params: { orgId, projectId: "p1" },
      data: env.fft.makeChange(snapshot({ name: "A" }, path), snapshot(null, path)),
    });
    expect(await auditOf(env.db, orgId)).toEqual([]);
  });
});

describe("onMemberWritten", () => {
  it("member count: a member written around the callables is counted, and the correction audited", async () => {
    const orgId = await seedOrg(env.db, { own: "owner", mem: "member" });
    await env.db.doc(`orgs/${orgId}/members/extra`).set({ uid: "extra", role: "viewer", email: null });
    const event = { params: { orgId, uid: "extra" } };
    await onMemberWritten(event);
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("memberCount")).toBe(3);
    await onMemberWritten(event);
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
    const orgId = await seedOrg(env.db, { own: "owner" });
    await onMemberWritten({ params: { orgId, uid: "own" } });
    expect(await auditOf(env.db, orgId)).toEqual([]);
  });
});
