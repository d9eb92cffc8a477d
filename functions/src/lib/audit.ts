import { FieldValue, type Firestore, type Transaction, type WriteBatch } from "firebase-admin/firestore";
import { refs } from "../db/refs.js";

export interface AuditEntry {
  /** uid of the user who acted, or "system" for jobs and webhooks. */
  actor: string;
  /** dotted verb, for example "member.role_changed". */
  action: string;
  /** what was acted on, for example "members/uid123". */
  target: string;
  /** small before/after summary; never secrets or payment details. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Keys of `before`/`after` whose string values name a person (a uid or an email address). */
const PERSON_KEYS = new Set([
  "uid",
  "ownerUid",
  "email",
  "invitedBy",
  "createdBy",
  "revokedBy",
  "acceptedBy",
]);

/**
 * Everyone an entry names: the actor, a member target, and person-valued summary fields. Stored as
 * `people`, so deleteMyAccount finds (and pseudonymizes) every entry about a deleted account.
 */
export function peopleIn(entry: AuditEntry): string[] {
  const people = new Set<string>();
  if (entry.actor !== "system") people.add(entry.actor);
  const member = /^members\/(.+)$/.exec(entry.target);
  if (member?.[1]) people.add(member[1]);
  for (const side of [entry.before, entry.after]) {
    for (const [key, value] of Object.entries(side ?? {})) {
      if (PERSON_KEYS.has(key) && typeof value === "string") people.add(value);
    }
  }
  return [...people];
}

/**
 * Adds an audit entry to `orgs/{orgId}/auditLog` inside the caller's transaction or batch. Triggers pass
 * an `id` derived from their event, so a redelivered event fails with already-exists instead of logging twice.
 */
export function writeAudit(
  firestore: Firestore,
  writer: Transaction | WriteBatch,
  orgId: string,
  entry: AuditEntry,
  id?: string,
): void {
  const log = refs.auditLog(firestore, orgId);
  const ref = id ? log.doc(id) : log.doc();
  writer.create(ref, {
    before: null,
    after: null,
    ...entry,
    people: peopleIn(entry),
    at: FieldValue.serverTimestamp(),
  });
}
