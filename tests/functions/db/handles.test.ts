import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DocumentShapeError } from "../../../functions/src/db/converter.js";
import { validDocs } from "../../../functions/src/db/read.js";
import { groups, refs } from "../../../functions/src/db/refs.js";
import { systemClock } from "../../../functions/src/lib/clock.js";
import { handleMemberWritten } from "../../../functions/src/orgs/on-member-written.js";
import { newId, type OrgsTestEnv, seedOrg, startOrgsTestEnv } from "../orgs/support.js";

// What the read helper logs, as firebase-functions/logger receives it.
const logged = vi.hoisted(() => [] as { level: string; message: unknown; fields: Record<string, unknown> }[]);
vi.mock("firebase-functions/logger", async (importOriginal) => {
  const real = await importOriginal<typeof import("firebase-functions/logger")>();
  const record =
    (level: string) =>
    (message: unknown, fields: Record<string, unknown> = {}) => {
      logged.push({ level, message, fields });
    };
  return { ...real, info: record("info"), warn: record("warn"), error: record("error") };
});

let env: OrgsTestEnv;

beforeAll(async () => {
  env = await startOrgsTestEnv();
});
afterAll(() => env?.stop());
beforeEach(() => {
  logged.length = 0;
});

const invite = (email: string) => ({
  email,
  role: "member" as const,
  tokenHash: "h",
  status: "pending" as const,
  expiresAt: Timestamp.fromMillis(Date.UTC(2026, 5, 1)),
  invitedBy: "owner",
  createdAt: Timestamp.fromMillis(Date.UTC(2026, 4, 1)),
});

/** The error of a refused write: thrown where the write is made (set, create), before any request. */
async function refusal(write: () => unknown): Promise<DocumentShapeError> {
  const err = await Promise.resolve()
    .then(write)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(err).toBeInstanceOf(DocumentShapeError);
  return err as DocumentShapeError;
}

describe("typed handles", () => {
  it("read documents with their Timestamps as Timestamp instances", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner" });
    const member = (await refs.member(env.db, orgId, "owner").get()).data();
    expect(member?.role).toBe("owner");
    expect(member?.joinedAt).toBeInstanceOf(Timestamp);
    expect(member?.joinedAt.toMillis()).toBe(Date.UTC(2026, 0, 1));
    const org = (await refs.org(env.db, orgId).get()).data();
    expect(org?.createdAt.toDate()).toBeInstanceOf(Date);
  });

  it("a document that does not fit its schema fails its read with the path and the field", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner" });
    await env.db.doc(`orgs/${orgId}/members/odd`).set({ uid: "odd", role: "boss" });
    const snap = await refs.member(env.db, orgId, "odd").get();
    const err = (() => {
      try {
        snap.data();
      } catch (e) {
        return e;
      }
    })() as DocumentShapeError;
    expect(err).toBeInstanceOf(DocumentShapeError);
    expect(err.operation).toBe("read");
    expect(err.path).toBe(`orgs/${orgId}/members/odd`);
    expect(err.fields.map((f) => f.field)).toEqual(expect.arrayContaining(["role", "joinedAt"]));
  });

  it("a write with a wrong-typed field is refused before it reaches Firestore", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner" });
    const ref = refs.invite(env.db, orgId, "i1");
    const err = await refusal(() => ref.set({ ...invite("a@example.com"), role: 42 as never }));
    expect(err.operation).toBe("write");
    expect(err.path).toBe("orgs/{orgId}/invites/{inviteId}");
    expect(err.fields.map((f) => f.field)).toEqual(["role"]);
    expect((await env.db.doc(`orgs/${orgId}/invites/i1`).get()).exists).toBe(false);
    // In a transaction too: the write is refused and nothing commits.
    await refusal(() =>
      env.db.runTransaction(async (tx) => {
        tx.create(ref, { ...invite("a@example.com"), expiresAt: "tomorrow" as never });
      }),
    );
    expect((await env.db.doc(`orgs/${orgId}/invites/i1`).get()).exists).toBe(false);
  });

  it("sentinels stand in for the fields they will fill; the concrete fields are still checked", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner" });
    const entry = refs.auditEntry(env.db, orgId, "e1");
    const fields = { actor: "owner", action: "test.done", target: "x", before: null, after: null };
    await entry.create({ ...fields, at: FieldValue.serverTimestamp() });
    expect((await entry.get()).data()?.at).toBeInstanceOf(Timestamp);
    await refusal(() =>
      refs.auditEntry(env.db, orgId, "e2").create({ ...fields, actor: "", at: FieldValue.serverTimestamp() }),
    );
  });

  it("a merge write is checked as a partial document", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner" });
    const storage = refs.storageUsage(env.db, orgId);
    await storage.set({ files: FieldValue.increment(1) }, { merge: true });
    await storage.set({ storageBytes: 10 }, { merge: true });
    expect((await storage.get()).data()).toEqual({ files: 1, storageBytes: 10 });
    const err = await refusal(() => storage.set({ storageBytes: -1 }, { merge: true }));
    expect(err.fields.map((f) => f.field)).toEqual(["storageBytes"]);
    // Without merge the whole document is required.
    await refusal(() => storage.set({ storageBytes: 1 } as never));
  });
});

describe("reading for jobs", () => {
  it("an invalid document is logged with its path and field and skipped; the others are read", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner" });
    const bad = newId("bad");
    await refs.invite(env.db, orgId, "a").set(invite("a@example.com"));
    await refs.invite(env.db, orgId, "b").set(invite("b@example.com"));
    await env.db.doc(`orgs/${orgId}/invites/${bad}`).set({ ...invite("c@example.com"), status: "lost" });

    const { docs, skipped } = validDocs((await refs.invites(env.db, orgId).get()).docs, "testJob");
    expect(docs.map((d) => d.data.email).sort()).toEqual(["a@example.com", "b@example.com"]);
    expect(skipped).toBe(1);
    expect(logged).toEqual([
      {
        level: "error",
        message: "document.invalid",
        fields: expect.objectContaining({
          event: "document.invalid",
          source: "testJob",
          path: `orgs/${orgId}/invites/${bad}`,
          fields: [expect.objectContaining({ field: "status" })],
        }),
      },
    ]);
  });

  it("a trigger that meets an org document not fitting its schema logs it and skips, instead of failing", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner", m: "member" });
    await env.db.doc(`orgs/${orgId}`).update({ memberCount: "two" });
    expect(await handleMemberWritten({ db: env.db, clock: systemClock }, orgId)).toBe("skipped");
    expect(logged).toEqual([
      expect.objectContaining({
        message: "document.invalid",
        fields: expect.objectContaining({
          source: "onMemberWritten",
          path: `orgs/${orgId}`,
          fields: [expect.objectContaining({ field: "memberCount" })],
        }),
      }),
    ]);
    // Nothing was "corrected" on a document the trigger could not read.
    expect((await env.db.doc(`orgs/${orgId}`).get()).get("memberCount")).toBe("two");
  });

  it("collection-group handles are typed and validated the same way", async () => {
    const orgId = await seedOrg(env.db, { owner: "owner" });
    await refs.invite(env.db, orgId, "g").set(invite("group@example.com"));
    const found = await groups.invites(env.db).where("email", "==", "group@example.com").get();
    expect(found.docs.map((d) => d.data().expiresAt.toMillis())).toEqual([Date.UTC(2026, 5, 1)]);
  });
});
