import { describe, expect, it } from "vitest";
import {
  InviteDoc,
  LIMITS,
  MemberDoc,
  OrgDoc,
  OrgSettings,
  OrgUpdate,
  ProjectDoc,
  ProjectInput,
  UsagePeriodId,
  UserProfileUpdate,
} from "./index.js";
import { sampleDocs } from "./samples.fixture.js";

describe("document schemas", () => {
  it("accepts one sample of every document", () => {
    for (const [name, { schema, doc }] of Object.entries(sampleDocs)) {
      expect(schema.safeParse(doc).success, name).toBe(true);
    }
  });

  it("org: accepts a Timestamp-like object for createdAt and null deletedAt", () => {
    const org = sampleDocs.Org.doc;
    expect(OrgDoc.parse(org).deletedAt).toBeNull();
    expect(OrgDoc.safeParse({ ...org, deletedAt: { seconds: 5, nanoseconds: 0 } }).success).toBe(true);
    expect(OrgDoc.safeParse({ ...org, createdAt: new Date() }).success).toBe(false);
  });

  it("org: refuses an unknown plan, a negative memberCount and an overlong name", () => {
    const org = sampleDocs.Org.doc;
    expect(OrgDoc.safeParse({ ...org, plan: "enterprise" }).success).toBe(false);
    expect(OrgDoc.safeParse({ ...org, memberCount: -1 }).success).toBe(false);
    expect(OrgDoc.safeParse({ ...org, name: "x".repeat(LIMITS.orgNameMax + 1) }).success).toBe(false);
    expect(OrgDoc.safeParse({ ...org, name: "x".repeat(LIMITS.orgNameMax) }).success).toBe(true);
  });

  it("org update: only name and settings, settings small and scalar", () => {
    expect(OrgUpdate.safeParse({ name: "Acme" }).success).toBe(true);
    expect(OrgUpdate.safeParse({ plan: "team" }).success).toBe(false);
    expect(OrgUpdate.safeParse({ name: "   " }).success).toBe(false);
    expect(OrgSettings.safeParse({ theme: "dark", beta: true, seatsShown: 4, x: null }).success).toBe(true);
    expect(OrgSettings.safeParse({ nested: { a: 1 } }).success).toBe(false);
    const tooMany = Object.fromEntries(
      Array.from({ length: LIMITS.orgSettingsMaxKeys + 1 }, (_, i) => [`k${i}`, i]),
    );
    expect(OrgSettings.safeParse(tooMany).success).toBe(false);
  });

  it("member: the role is one of the four roles", () => {
    const member = sampleDocs.Member.doc;
    expect(MemberDoc.safeParse({ ...member, role: "superadmin" }).success).toBe(false);
    expect(MemberDoc.safeParse({ ...member, role: "owner" }).success).toBe(true);
  });

  it("invite: lowercased email, invitable role, known status", () => {
    const invite = sampleDocs.Invite.doc;
    expect(InviteDoc.safeParse({ ...invite, email: "Ann@Example.com" }).success).toBe(false);
    expect(InviteDoc.safeParse({ ...invite, role: "owner" }).success).toBe(false);
    expect(InviteDoc.safeParse({ ...invite, status: "used" }).success).toBe(false);
    expect(
      InviteDoc.safeParse({
        ...invite,
        status: "accepted",
        acceptedBy: "u2",
        acceptedAt: { seconds: 2, nanoseconds: 0 },
      }).success,
    ).toBe(true);
  });

  it("project: name 1..100, description 0..2000, status active|archived", () => {
    const input = { name: "Roadmap", description: "", status: "active" };
    expect(ProjectInput.safeParse(input).success).toBe(true);
    expect(ProjectInput.safeParse({ ...input, name: "" }).success).toBe(false);
    expect(ProjectInput.safeParse({ ...input, name: "n".repeat(LIMITS.projectNameMax + 1) }).success).toBe(
      false,
    );
    expect(
      ProjectInput.safeParse({ ...input, description: "d".repeat(LIMITS.projectDescriptionMax) }).success,
    ).toBe(true);
    expect(
      ProjectInput.safeParse({ ...input, description: "d".repeat(LIMITS.projectDescriptionMax + 1) }).success,
    ).toBe(false);
    expect(ProjectInput.safeParse({ ...input, status: "deleted" }).success).toBe(false);
    expect(ProjectDoc.safeParse({ ...sampleDocs.Project.doc, createdBy: "" }).success).toBe(false);
  });

  it("user profile update: displayName and https photoURL only", () => {
    expect(
      UserProfileUpdate.safeParse({ displayName: "Ann", photoURL: "https://x.test/a.png" }).success,
    ).toBe(true);
    expect(UserProfileUpdate.safeParse({ photoURL: "http://x.test/a.png" }).success).toBe(false);
    expect(UserProfileUpdate.safeParse({ email: "a@b.c" }).success).toBe(false);
    expect(UserProfileUpdate.safeParse({ displayName: null }).success).toBe(true);
  });

  it("usage period ids are yyyy-mm", () => {
    expect(UsagePeriodId.safeParse("2026-11").success).toBe(true);
    expect(UsagePeriodId.safeParse("2026-13").success).toBe(false);
    expect(UsagePeriodId.safeParse("2026-1").success).toBe(false);
  });
});
