import {
  AcceptInviteInput,
  type AcceptInviteOutput,
  type Entitlements,
  type ReasonWithoutDetails,
  type Role,
} from "@hearth/schema";
import { Timestamp } from "firebase-admin/firestore";
import { seatsRemaining } from "../billing/entitlements.js";
import { writeAudit } from "../lib/audit.js";
import { defineCallable } from "../lib/callable.js";
import { AppError } from "../lib/errors.js";
import { type Caller, requireAuth } from "../lib/guards.js";
import { decremented } from "./counters.js";
import { liveDeps, type OrgDeps } from "./deps.js";
import { inviteTokenMatches } from "./invite-token.js";
import { newMember } from "./member-doc.js";
import { inviteRef, memberRef, orgRef, userRef } from "./paths.js";

function refused(
  code: "not-found" | "permission-denied" | "failed-precondition",
  reason: ReasonWithoutDetails,
  message: string,
) {
  return new AppError(code, message, { reason });
}

/**
 * Joins the caller to the org of an invitation. The invite is single use and bound to its email: the
 * caller's verified email must match it (case-insensitively). A retry by the user who already accepted
 * answers the same result; anyone else gets `invite-used`.
 */
export async function acceptInviteHandler(
  deps: OrgDeps,
  caller: Caller,
  input: AcceptInviteInput,
): Promise<AcceptInviteOutput> {
  if (!caller.email || !caller.emailVerified) {
    throw refused("permission-denied", "email-unverified", "Verify your email address before accepting.");
  }
  const email = caller.email.toLowerCase();
  const org = orgRef(deps.db, input.orgId);
  const invite = inviteRef(deps.db, input.orgId, input.inviteId);
  const member = memberRef(deps.db, input.orgId, caller.uid);

  return deps.db.runTransaction(async (tx) => {
    const [orgSnap, inviteSnap, memberSnap, profile] = await tx.getAll(
      org,
      invite,
      member,
      userRef(deps.db, caller.uid),
    );
    // A wrong token and a missing invite look alike, so ids cannot be probed without the secret.
    if (!inviteSnap!.exists || !inviteTokenMatches(input.token, inviteSnap!.get("tokenHash"))) {
      throw refused("not-found", "invite-not-found", "This invitation does not exist or the link is wrong.");
    }
    if (inviteSnap!.get("email") !== email) {
      throw refused(
        "permission-denied",
        "email-mismatch",
        "This invitation was sent to another email address.",
      );
    }
    const role = inviteSnap!.get("role") as Role;
    const status = inviteSnap!.get("status") as string;
    if (status === "accepted") {
      // A retry by the same user answers the same; after they left, the spent link does not re-admit them.
      if (inviteSnap!.get("acceptedBy") === caller.uid && memberSnap!.exists) {
        return { orgId: input.orgId, role };
      }
      throw refused("failed-precondition", "invite-used", "This invitation has already been used.");
    }
    if (status === "revoked") {
      throw refused("failed-precondition", "invite-revoked", "This invitation was revoked.");
    }
    const now = deps.clock.now();
    const expired = (inviteSnap!.get("expiresAt") as Timestamp).toMillis() <= now.getTime();
    if (status === "expired" || expired) {
      throw refused(
        "failed-precondition",
        "invite-expired",
        "This invitation has expired; ask for a new one.",
      );
    }
    if (!orgSnap!.exists || orgSnap!.get("deletedAt") != null) {
      throw refused("failed-precondition", "org-deleted", "This organization has been deleted.");
    }

    const pendingAfter = decremented(orgSnap!, "pendingInvites");
    tx.update(invite, { status: "accepted", acceptedBy: caller.uid, acceptedAt: Timestamp.fromDate(now) });
    writeAudit(deps.db, tx, input.orgId, {
      actor: caller.uid,
      action: "invite.accepted",
      target: `invites/${input.inviteId}`,
      before: { status: "pending" },
      after: { status: "accepted" },
    });
    if (memberSnap!.exists) {
      // Already a member by another route: the invite is used up, the current role stays.
      tx.update(org, { pendingInvites: pendingAfter });
      return { orgId: input.orgId, role: memberSnap!.get("role") as Role };
    }
    const memberCount = (orgSnap!.get("memberCount") as number | undefined) ?? 0;
    const entitlements = orgSnap!.get("entitlements") as Entitlements;
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
        displayName: profile!.get("displayName"),
        now,
        invitedBy: (inviteSnap!.get("invitedBy") as string | undefined) ?? null,
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
