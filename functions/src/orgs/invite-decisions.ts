import type { Doc } from "../db/refs.js";

/** Why an invitation cannot be accepted; each is the `reason` the caller gets. */
export type AcceptRefusal =
  | "invite-not-found"
  | "email-mismatch"
  | "invite-used"
  | "invite-revoked"
  | "invite-expired"
  | "org-deleted";

/**
 * What accepting an invitation comes to, decided on documents read in the accepting transaction:
 * `answered` (a retry by the user who accepted it), `used-up` (already a member by another route: the invite
 * is spent, the role stays), `join`, or a refusal. A wrong token and a missing invite look alike, so ids
 * cannot be probed without the secret.
 */
export function acceptDecision(read: {
  invite: Doc<"invite"> | undefined;
  tokenMatches: boolean;
  /** The caller's uid and lowercased, verified email. */
  uid: string;
  email: string;
  isMember: boolean;
  org: Doc<"org"> | undefined;
  nowMillis: number;
}): { refused: AcceptRefusal } | { outcome: "answered" | "used-up" | "join" } {
  const { invite } = read;
  if (!invite || !read.tokenMatches) return { refused: "invite-not-found" };
  if (invite.email !== read.email) return { refused: "email-mismatch" };
  if (invite.status === "accepted") {
    // After they left, the spent link does not re-admit them.
    return invite.acceptedBy === read.uid && read.isMember
      ? { outcome: "answered" }
      : { refused: "invite-used" };
  }
  if (invite.status === "revoked") return { refused: "invite-revoked" };
  if (invite.status === "expired" || invite.expiresAt.toMillis() <= read.nowMillis) {
    return { refused: "invite-expired" };
  }
  if (!read.org || read.org.deletedAt != null) return { refused: "org-deleted" };
  return { outcome: read.isMember ? "used-up" : "join" };
}

/**
 * The pending invitations an invite for `email` meets at `nowMillis`: those past their expiry (to mark
 * expired), the one for the same email (replaced by the new one), and how many others still hold a seat.
 */
export function pendingOutcome<I extends { data: Pick<Doc<"invite">, "email" | "expiresAt"> }>(
  pending: readonly I[],
  email: string,
  nowMillis: number,
): { expired: I[]; replaced: I[]; live: number } {
  const expired = pending.filter((i) => i.data.expiresAt.toMillis() <= nowMillis);
  const replaced = pending.filter((i) => !expired.includes(i) && i.data.email === email);
  return { expired, replaced, live: pending.length - expired.length - replaced.length };
}
