import { z } from "zod";
import { Role } from "../roles.js";
import { FirestoreTimestamp } from "./timestamp.js";

/**
 * `orgs/{orgId}/members/{uid}`: one membership; the document id is the member's uid. Written by the
 * server only (callables), so a client can never grant itself a role.
 */
export const MemberDoc = z.object({
  uid: z.string().min(1),
  role: Role,
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  joinedAt: FirestoreTimestamp,
  /** uid of the admin whose invitation was accepted; null for the org's creator. */
  invitedBy: z.string().nullable(),
});
export type MemberDoc = z.infer<typeof MemberDoc>;
