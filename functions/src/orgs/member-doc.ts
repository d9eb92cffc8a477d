import type { Role } from "@hearth/schema";
import { Timestamp } from "firebase-admin/firestore";
import type { Doc } from "../db/refs.js";

/** A new member document (`orgs/{orgId}/members/{uid}`, keyed by uid so rules can check it with exists()). */
export function newMember(input: {
  uid: string;
  role: Role;
  email: string | null;
  displayName: string | null | undefined;
  now: Date;
  invitedBy: string | null;
}): Doc<"member"> {
  return {
    uid: input.uid,
    role: input.role,
    // Emails match case-insensitively (invitations), so they are kept lowercased.
    email: input.email?.toLowerCase() ?? null,
    displayName: input.displayName ?? null,
    joinedAt: Timestamp.fromDate(input.now),
    invitedBy: input.invitedBy,
  };
}
