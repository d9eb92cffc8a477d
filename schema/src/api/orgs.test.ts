import { describe, expect, it } from "vitest";
import { toJsonSchema } from "../json-schema.js";
import * as accounts from "./accounts.js";
import { AiGenerateInput } from "./ai.js";
import { CreatePortalSessionInput } from "./billing.js";
import * as orgs from "./orgs.js";
import { AcceptInviteInput, CreateOrgInput, InviteMemberInput, RemoveMemberInput } from "./orgs.js";

describe("org API schemas", () => {
  it("InviteMemberInput: trims and lowercases the email; refuses owner as a role", () => {
    const parsed = InviteMemberInput.parse({ orgId: "o1", email: "  Ann@Example.COM ", role: "viewer" });
    expect(parsed.email).toBe("ann@example.com");
    expect(InviteMemberInput.safeParse({ orgId: "o1", email: "a@b.co", role: "owner" }).success).toBe(false);
    expect(InviteMemberInput.safeParse({ orgId: "o1", email: "nope", role: "member" }).success).toBe(false);
  });

  it("inputs are strict: an unknown key is an error, not silently dropped", () => {
    expect(CreateOrgInput.safeParse({ name: "Acme", plan: "team" }).success).toBe(false);
    expect(RemoveMemberInput.safeParse({ orgId: "o", uid: "u", role: "admin" }).success).toBe(false);
  });

  it("CreateOrgInput: names are trimmed, bounded and single-line; requestId is optional", () => {
    expect(CreateOrgInput.parse({ name: " Acme " })).toEqual({ name: "Acme" });
    expect(CreateOrgInput.safeParse({ name: "a\tb" }).success).toBe(false);
    expect(CreateOrgInput.safeParse({ name: "x".repeat(101) }).success).toBe(false);
    expect(CreateOrgInput.safeParse({ name: "ok", requestId: "short" }).success).toBe(false);
  });

  it("ids: document ids cannot smuggle path segments", () => {
    expect(RemoveMemberInput.safeParse({ orgId: "o/../x", uid: "u" }).success).toBe(false);
    expect(RemoveMemberInput.safeParse({ orgId: "o", uid: "a/b" }).success).toBe(false);
    expect(RemoveMemberInput.safeParse({ orgId: "o", uid: "__x__" }).success).toBe(false);
    expect(RemoveMemberInput.safeParse({ orgId: "o", uid: "Xy9-firebase_uid" }).success).toBe(true);
    for (const orgId of ["__x__", "__name__", "____", ".", "..", "a/b"]) {
      expect(RemoveMemberInput.safeParse({ orgId, uid: "u" }).success).toBe(false);
      expect(CreatePortalSessionInput.safeParse({ orgId }).success).toBe(false);
      expect(AiGenerateInput.safeParse({ orgId, prompt: "hi" }).success).toBe(false);
    }
    expect(AiGenerateInput.safeParse({ orgId: "_a_", prompt: "hi" }).success).toBe(true);
  });

  it("AcceptInviteInput: the token is a base64url secret of sensible length", () => {
    const ok = { orgId: "o", inviteId: "i", token: "A".repeat(43) };
    expect(AcceptInviteInput.safeParse(ok).success).toBe(true);
    expect(AcceptInviteInput.safeParse({ ...ok, token: "A".repeat(10) }).success).toBe(false);
    expect(AcceptInviteInput.safeParse({ ...ok, token: `${"A".repeat(42)}=` }).success).toBe(false);
  });

  it("every exported schema converts to JSON Schema for frontends", () => {
    for (const [name, value] of Object.entries({ ...orgs, ...accounts })) {
      expect(() => toJsonSchema(value as never), name).not.toThrow();
    }
  });
});
