import { z } from "zod";
import { FirestoreTimestamp } from "./timestamp.js";

/** `orgs/{orgId}/auditLog/{id}`: written by functions/src/lib/audit.ts only; admins and owners read it. */
export const AuditEntryDoc = z.object({
  /** uid of the acting user, or "system" for jobs and webhooks. */
  actor: z.string().min(1),
  /** dotted verb, e.g. "member.role_changed". */
  action: z.string().min(1),
  /** what was acted on, e.g. "members/uid123". */
  target: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  /** uids and emails the entry names (lib/audit.ts), so a deleted account's entries can be found. */
  people: z.array(z.string()).optional(),
  at: FirestoreTimestamp,
});
export type AuditEntryDoc = z.infer<typeof AuditEntryDoc>;
