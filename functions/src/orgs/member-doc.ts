import type { MemberDoc, Role } from "@hearth/schema";
import { Timestamp } from "firebase-admin/firestore";

/** A new member document (`orgs/{orgId}/members/{uid}`, keyed by uid so rules can check it with exists()). */
export function newMember(input: {
  uid: string;
  role: Role;
  email: string | null;
  displayName: unknown;
  now: Date;
  invitedBy: string | null;
}): MemberDoc {
  return {
    uid: input.uid,
    role: input.role,
    // Emails match case-insensitively (invitations), so they are kept lowercased.
    email: input.email?.toLowerCase() ?? null,
    displayName: typeof input.displayName === "string" ? input.displayName : null,
    joinedAt: Timestamp.fromDate(input.now),
    invitedBy: input.invitedBy,
  };
}
