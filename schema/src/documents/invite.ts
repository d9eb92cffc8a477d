import { z } from "zod";
import { InvitableRole } from "../roles.js";
import { FirestoreTimestamp } from "./timestamp.js";

export const INVITE_STATUSES = ["pending", "accepted", "revoked", "expired"] as const;
export const InviteStatus = z.enum(INVITE_STATUSES);
export type InviteStatus = z.infer<typeof InviteStatus>;

/**
 * `orgs/{orgId}/invites/{inviteId}`: server only. The token itself is mailed and never stored; only its
 * hash is, so reading an invite (admins may) does not let anyone accept it.
 */
export const InviteDoc = z.object({
  email: z
    .string()
    .min(3)
    .refine((email) => email === email.toLowerCase(), { message: "email is stored lowercased" }),
  role: InvitableRole,
  tokenHash: z.string().min(1),
  status: InviteStatus,
  expiresAt: FirestoreTimestamp,
  invitedBy: z.string().min(1),
  createdAt: FirestoreTimestamp,
  acceptedBy: z.string().min(1).optional(),
  acceptedAt: FirestoreTimestamp.optional(),
  revokedBy: z.string().min(1).optional(),
  revokedAt: FirestoreTimestamp.optional(),
});
export type InviteDoc = z.infer<typeof InviteDoc>;
