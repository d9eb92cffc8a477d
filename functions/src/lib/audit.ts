import { FieldValue, type Firestore, type Transaction, type WriteBatch } from "firebase-admin/firestore";

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
  const log = firestore.collection("orgs").doc(orgId).collection("auditLog");
  const ref = id ? log.doc(id) : log.doc();
  const doc = { before: null, after: null, ...entry, at: FieldValue.serverTimestamp() };
  writer.create(ref, doc);
}
