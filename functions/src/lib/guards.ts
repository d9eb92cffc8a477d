import type { Role } from "@hearth/schema";
import { roleAtLeast } from "@hearth/schema";
import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import type { CallableRequest } from "firebase-functions/https";
import { dataOf, getAllTyped } from "../db/read.js";
import { type Doc, refs } from "../db/refs.js";
import { AppError } from "./errors.js";

export interface Caller {
  uid: string;
  email: string | null;
  emailVerified: boolean;
}

/** The signed-in caller, or `unauthenticated`. */
export function requireAuth(request: Pick<CallableRequest, "auth">): Caller {
  const auth = request.auth;
  if (!auth) throw new AppError("unauthenticated", "Sign in first.");
  const email = typeof auth.token.email === "string" ? auth.token.email : null;
  return { uid: auth.uid, email, emailVerified: auth.token.email_verified === true };
}

export interface Membership {
  role: Role;
  /** The org's document, as read for the check. */
  org: Doc<"org">;
}

/**
 * Checks that `uid` belongs to a live org with at least role `min`. Membership documents are the source
 * of truth, so a removed member is refused on the next call. A missing org and a non-member get the same
 * answer, so callers cannot probe which org ids exist.
 */
export async function requireMember(
  firestore: Firestore,
  orgId: string,
  uid: string,
  min: Role = "viewer",
): Promise<Membership> {
  const [org, member] = await getAllTyped(
    firestore,
    refs.org(firestore, orgId),
    refs.member(firestore, orgId, uid),
  );
  return checkMembership(org.data(), member.data(), min);
}

/** The decision behind requireMember, on documents (or typed snapshots) a caller already read, say in a transaction. */
export function checkMembership(
  orgRead: Doc<"org"> | DocumentSnapshot<Doc<"org">, Doc<"org">> | undefined,
  memberRead: Doc<"member"> | DocumentSnapshot<Doc<"member">, Doc<"member">> | undefined,
  min: Role = "viewer",
): Membership {
  const org = dataOf(orgRead);
  const member = dataOf(memberRead);
  if (!org || !member) {
    throw new AppError("permission-denied", "You are not a member of this organization.");
  }
  if (org.deletedAt != null) {
    throw new AppError("failed-precondition", "This organization has been deleted.", {
      reason: "org-deleted",
    });
  }
  if (!roleAtLeast(member.role, min)) {
    throw new AppError("permission-denied", `This action needs the ${min} role or higher.`, {
      reason: "role",
      required: min,
    });
  }
  return { role: member.role, org };
}
