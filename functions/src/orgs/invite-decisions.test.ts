import { Timestamp } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import type { Doc } from "../db/refs.js";
import { acceptDecision, pendingOutcome } from "./invite-decisions.js";

const NOW = Date.UTC(2026, 4, 1);

const invite = (fields: Partial<Doc<"invite">> = {}): Doc<"invite"> => ({
  email: "bob@example.com",
  role: "member",
  tokenHash: "h",
  status: "pending",
  expiresAt: Timestamp.fromMillis(NOW + 1000),
  invitedBy: "alice",
  createdAt: Timestamp.fromMillis(NOW - 1000),
  ...fields,
});

const org = { deletedAt: null } as Doc<"org">;

const accept = (over: Partial<Parameters<typeof acceptDecision>[0]> = {}) =>
  acceptDecision({
    invite: invite(),
    tokenMatches: true,
    uid: "bob",
    email: "bob@example.com",
    isMember: false,
    org,
    nowMillis: NOW,
    ...over,
  });

describe("acceptDecision", () => {
  it("a pending invite to the caller's email joins them, or is used up if they are a member already", () => {
    expect(accept()).toEqual({ outcome: "join" });
    expect(accept({ isMember: true })).toEqual({ outcome: "used-up" });
  });

  it("a missing invite and a wrong token look alike", () => {
    expect(accept({ invite: undefined })).toEqual({ refused: "invite-not-found" });
    expect(accept({ tokenMatches: false })).toEqual({ refused: "invite-not-found" });
  });

  it("refuses another email, a revoked, an expired (by status or by time) invite and a deleted org", () => {
    expect(accept({ email: "eve@example.com" })).toEqual({ refused: "email-mismatch" });
    expect(accept({ invite: invite({ status: "revoked" }) })).toEqual({ refused: "invite-revoked" });
    expect(accept({ invite: invite({ status: "expired" }) })).toEqual({ refused: "invite-expired" });
    expect(accept({ nowMillis: NOW + 1000 })).toEqual({ refused: "invite-expired" });
    expect(accept({ org: undefined })).toEqual({ refused: "org-deleted" });
    expect(accept({ org: { deletedAt: Timestamp.fromMillis(NOW) } as Doc<"org"> })).toEqual({
      refused: "org-deleted",
    });
  });

  it("an accepted invite answers its acceptor again while they are a member, and nobody else", () => {
    const used = invite({ status: "accepted", acceptedBy: "bob" });
    expect(accept({ invite: used, isMember: true })).toEqual({ outcome: "answered" });
    expect(accept({ invite: used, isMember: false })).toEqual({ refused: "invite-used" });
    expect(accept({ invite: used, uid: "other", isMember: true })).toEqual({ refused: "invite-used" });
  });
});

describe("pendingOutcome", () => {
  it("sorts pending invites into expired, replaced (same email) and live seats", () => {
    const pending = [
      { id: "old", data: invite({ email: "x@example.com", expiresAt: Timestamp.fromMillis(NOW) }) },
      { id: "same", data: invite() },
      { id: "other", data: invite({ email: "y@example.com" }) },
    ];
    const { expired, replaced, live } = pendingOutcome(pending, "bob@example.com", NOW);
    expect(expired.map((i) => i.id)).toEqual(["old"]);
    expect(replaced.map((i) => i.id)).toEqual(["same"]);
    expect(live).toBe(1);
  });
});
