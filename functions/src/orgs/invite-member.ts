import { InviteMemberInput, type InviteMemberOutput } from "@hearth/schema";
import { Timestamp } from "firebase-admin/firestore";
import { seatsRemaining } from "../billing/entitlements.js";
import { getAccountLimits, getPlan } from "../billing/plans.js";
import { refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import { defineCallable } from "../lib/callable.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import { AppError } from "../lib/errors.js";
import type { Caller } from "../lib/guards.js";
import { accountLimitsRef, orgLimitsRef, takeLimits } from "../usage/limits.js";
import { loadActor } from "./actor.js";
import { pendingOutcome } from "./invite-decisions.js";
import { inviteLink, inviteMail } from "./invite-mail.js";
import { hashInviteToken, newInviteToken } from "./invite-token.js";
import { orgEntitlements } from "./org-entitlements.js";
import { refusalError } from "./refusal.js";
import { inviteRefusal } from "./roles.js";
import { appUrl, inviteTtlDays } from "./settings.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface InviteDeps extends Deps {
  ttlDays: number;
  appUrl: string;
  newToken: () => string;
}

/**
 * Invites `email` with `role`: a pending invite holding only the token's hash, plus the email with the
 * link in the `mail` outbox, written in one transaction. A pending invite for the same email is replaced;
 * pending invites past their expiry are marked expired on the way, freeing their seats. Only a caller
 * with a verified email may invite, and every email counts against the caller's and the org's mail limits
 * (billing/plans.ts), checked in the same transaction so they hold under concurrency. The outbox copy
 * of the link does not linger: mail/scrub-delivered-mail.ts redacts it once delivery is final, and the
 * TTL on `expiresAt` deletes the document.
 */
export async function inviteMemberHandler(
  deps: InviteDeps,
  caller: Caller,
  input: InviteMemberInput,
): Promise<InviteMemberOutput> {
  // An unverified address may belong to nobody: an account must prove it receives mail before it sends any.
  if (!caller.emailVerified) {
    throw new AppError("failed-precondition", "Verify your email address before inviting people.", {
      reason: "email-unverified",
    });
  }
  const org = refs.org(deps.db, input.orgId);
  const inviteRef = refs.invites(deps.db, input.orgId).doc();
  const token = deps.newToken();
  await deps.db.runTransaction(async (tx) => {
    const { org: orgData, actor } = await loadActor(deps, tx, input.orgId, caller.uid, "admin");
    const refusal = inviteRefusal(actor.role, input.role);
    if (refusal) throw refusalError(refusal);

    const [existingMember, pending, inviter] = await Promise.all([
      tx.get(refs.members(deps.db, input.orgId).where("email", "==", input.email).limit(1)),
      tx.get(refs.invites(deps.db, input.orgId).where("status", "==", "pending")),
      tx.get(refs.profile(deps.db, caller.uid)),
    ]);
    if (!existingMember.empty) {
      throw new AppError("already-exists", "This person is already a member.", { reason: "already-member" });
    }

    const now = deps.clock.now();
    const plan = getPlan(orgData.plan);
    const recordMail = await takeLimits(
      tx,
      [
        {
          ref: accountLimitsRef(deps.db, caller.uid),
          field: "mail",
          limits: getAccountLimits().mail,
          reason: "mail-limit",
          scope: "account",
        },
        {
          ref: orgLimitsRef(deps.db, input.orgId),
          field: "mail",
          limits: plan.mail,
          reason: "mail-limit",
          scope: "org",
        },
      ],
      now,
    );
    const { expired, replaced, live } = pendingOutcome(
      pending.docs.map((doc) => ({ ref: doc.ref, id: doc.id, data: doc.data() })),
      input.email,
      now.getTime(),
    );
    for (const invite of expired) tx.update(invite.ref, { status: "expired" });
    for (const invite of replaced) {
      tx.update(invite.ref, { status: "revoked", revokedBy: caller.uid, revokedAt: Timestamp.fromDate(now) });
      writeAudit(deps.db, tx, input.orgId, {
        actor: caller.uid,
        action: "invite.replaced",
        target: `invites/${invite.id}`,
        before: { status: "pending" },
        after: { status: "revoked", replacedBy: inviteRef.id },
      });
    }
    // Seats hold members plus pending invites; the one being replaced (if any) is not counted.
    const entitlements = orgEntitlements(orgData);
    if (seatsRemaining(entitlements, orgData.memberCount, live) === 0) {
      const message = "All seats of the plan are taken (members plus pending invites).";
      throw new AppError("resource-exhausted", message, { reason: "seat-limit", seats: entitlements.seats });
    }

    const expiresAt = new Date(now.getTime() + deps.ttlDays * DAY_MS);
    recordMail();
    tx.create(inviteRef, {
      email: input.email,
      role: input.role,
      tokenHash: hashInviteToken(token),
      status: "pending",
      expiresAt: Timestamp.fromDate(expiresAt),
      invitedBy: caller.uid,
      createdAt: Timestamp.fromDate(now),
    });
    tx.update(org, { pendingInvites: live + 1 });
    const inviterName = inviter.data()?.displayName ?? caller.email;
    tx.create(refs.mails(deps.db).doc(), {
      ...inviteMail({
        to: input.email,
        orgName: orgData.name,
        inviterName,
        role: input.role,
        link: inviteLink(deps.appUrl, input.orgId, inviteRef.id, token),
        expiresAt,
      }),
      // The TTL field: Firestore deletes the email once its link has expired, whether or not it was sent.
      expiresAt: Timestamp.fromDate(expiresAt),
      sentBy: caller.uid,
    });
    writeAudit(deps.db, tx, input.orgId, {
      actor: caller.uid,
      action: "invite.created",
      target: `invites/${inviteRef.id}`,
      after: { email: input.email, role: input.role },
    });
  });
  return { inviteId: inviteRef.id };
}

/** The deployed invite dependencies: settings read per call. */
function inviteDeps(): InviteDeps {
  return { ...liveDeps(), ttlDays: inviteTtlDays(), appUrl: appUrl(), newToken: newInviteToken };
}

export const inviteMember = defineCallable("inviteMember", {
  input: InviteMemberInput,
  deps: inviteDeps,
  handler: inviteMemberHandler,
});
