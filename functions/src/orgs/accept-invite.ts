import { AcceptInviteInput, type AcceptInviteOutput } from "@hearth/schema";
import { Timestamp } from "firebase-admin/firestore";
import { seatsRemaining } from "../billing/entitlements.js";
import { getAllTyped } from "../db/read.js";
import { refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import { defineCallable } from "../lib/callable.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import { AppError } from "../lib/errors.js";
import type { Caller } from "../lib/guards.js";
import { decremented } from "./counters.js";
import { type AcceptRefusal, acceptDecision } from "./invite-decisions.js";
import { inviteTokenMatches } from "./invite-token.js";
import { newMember } from "./member-doc.js";
import { orgEntitlements } from "./org-entitlements.js";

const ACCEPT_REFUSALS: Record<
  AcceptRefusal,
  { code: "not-found" | "permission-denied" | "failed-precondition"; message: string }
> = {
  "invite-not-found": { code: "not-found", message: "This invitation does not exist or the link is wrong." },
  "email-mismatch": {
    code: "permission-denied",
    message: "This invitation was sent to another email address.",
  },
  "invite-used": { code: "failed-precondition", message: "This invitation has already been used." },
  "invite-revoked": { code: "failed-precondition", message: "This invitation was revoked." },
  "invite-expired": {
    code: "failed-precondition",
    message: "This invitation has expired; ask for a new one.",
  },
  "org-deleted": { code: "failed-precondition", message: "This organization has been deleted." },
};

function acceptRefusalError(reason: AcceptRefusal): AppError {
  const { code, message } = ACCEPT_REFUSALS[reason];
  return new AppError(code, message, { reason });
}

/**
 * Joins the caller to the org of an invitation. The invite is single use and bound to its email: the
 * caller's verified email must match it (case-insensitively). A retry by the user who already accepted
 * answers the same result; anyone else gets `invite-used`.
 */
export async function acceptInviteHandler(
  deps: Deps,
  caller: Caller,
  input: AcceptInviteInput,
): Promise<AcceptInviteOutput> {
  if (!caller.email || !caller.emailVerified) {
    throw new AppError("permission-denied", "Verify your email address before accepting.", {
      reason: "email-unverified",
    });
  }
  const email = caller.email.toLowerCase();
  const org = refs.org(deps.db, input.orgId);
  const invite = refs.invite(deps.db, input.orgId, input.inviteId);
  const member = refs.member(deps.db, input.orgId, caller.uid);

  return deps.db.runTransaction(async (tx) => {
    const [orgSnap, inviteSnap, memberSnap, profile] = await getAllTyped(
      tx,
      org,
      invite,
      member,
      refs.profile(deps.db, caller.uid),
    );
    const [orgData, inviteData, memberData] = [orgSnap.data(), inviteSnap.data(), memberSnap.data()];
    const now = deps.clock.now();
    const decision = acceptDecision({
      invite: inviteData,
      tokenMatches: inviteData !== undefined && inviteTokenMatches(input.token, inviteData.tokenHash),
      uid: caller.uid,
      email,
      isMember: memberData !== undefined,
      org: orgData,
      nowMillis: now.getTime(),
    });
    if ("refused" in decision) throw acceptRefusalError(decision.refused);
    // The decision found both; the checks are for the type system.
    if (!inviteData || !orgData) throw new Error("acceptDecision allowed a missing invite or org");
    const role = inviteData.role;
    if (decision.outcome === "answered") return { orgId: input.orgId, role };

    const pendingAfter = decremented(orgData, "pendingInvites");
    tx.update(invite, { status: "accepted", acceptedBy: caller.uid, acceptedAt: Timestamp.fromDate(now) });
    writeAudit(deps.db, tx, input.orgId, {
      actor: caller.uid,
      action: "invite.accepted",
      target: `invites/${input.inviteId}`,
      before: { status: "pending" },
      after: { status: "accepted" },
    });
    if (decision.outcome === "used-up" && memberData) {
      tx.update(org, { pendingInvites: pendingAfter });
      return { orgId: input.orgId, role: memberData.role };
    }
    const { memberCount } = orgData;
    const entitlements = orgEntitlements(orgData);
    // The invite held a seat, but the plan may have shrunk since it was sent.
    if (seatsRemaining(entitlements, memberCount) === 0) {
      throw new AppError("resource-exhausted", "The organization has no free seat left.", {
        reason: "seat-limit",
        seats: entitlements.seats,
      });
    }
    tx.create(
      member,
      newMember({
        uid: caller.uid,
        role,
        email,
        displayName: profile.data()?.displayName,
        now,
        invitedBy: inviteData.invitedBy,
      }),
    );
    tx.update(org, { memberCount: memberCount + 1, pendingInvites: pendingAfter });
    writeAudit(deps.db, tx, input.orgId, {
      actor: caller.uid,
      action: "member.joined",
      target: `members/${caller.uid}`,
      after: { role },
    });
    return { orgId: input.orgId, role };
  });
}

export const acceptInvite = defineCallable("acceptInvite", {
  input: AcceptInviteInput,
  deps: liveDeps,
  handler: acceptInviteHandler,
});
