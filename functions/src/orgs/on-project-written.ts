import type { DocumentSnapshot } from "firebase-admin/firestore";
import { onDocumentWrittenWithAuthContext } from "firebase-functions/firestore";
import { eventData, getAllTyped, validData } from "../db/read.js";
import { converters, refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import { REGION } from "../lib/runtime.js";

export interface ProjectWrite {
  /** The event id: the audit entry's id, so a redelivered event is logged once. */
  eventId: string;
  orgId: string;
  projectId: string;
  before: DocumentSnapshot | undefined;
  after: DocumentSnapshot | undefined;
  /** Who wrote: the uid for app users, "system" for server writes. */
  actor: string;
}

/** End users appear by uid; server writes (Admin SDK, TTL) as "system". */
function actorOf(authType: string, authId: string | undefined): string {
  if (authType === "service_account" || authType === "system") return "system";
  return authId ?? "unknown";
}

/** What the audit entry keeps of a project: its name and status (null fields for one that fits no schema). */
function summary(snap: DocumentSnapshot | undefined) {
  if (!snap?.exists) return null;
  const project = eventData(snap, converters.projectSummary, "onProjectWritten");
  return { name: project?.name ?? null, status: project?.status ?? null };
}

/**
 * Audits a project write. Clients write projects directly (rules guard them), so this trigger is where
 * their changes reach the audit log. Writes to a deleted or purged org are not logged: the purge job
 * deleting projects must not recreate the org's auditLog.
 */
export async function handleProjectWritten(deps: Deps, write: ProjectWrite): Promise<"logged" | "skipped"> {
  const created = !write.before?.exists;
  const deleted = !write.after?.exists;
  if (created && deleted) return "skipped";
  const action = created ? "project.created" : deleted ? "project.deleted" : "project.updated";
  const org = refs.org(deps.db, write.orgId);
  const auditRef = refs.auditEntry(deps.db, write.orgId, write.eventId);
  return deps.db.runTransaction(async (tx) => {
    const [orgSnap, existing] = await getAllTyped(tx, org, auditRef);
    const orgData = validData(orgSnap, "onProjectWritten");
    if (!orgData || orgData.deletedAt != null || existing.exists) return "skipped";
    writeAudit(
      deps.db,
      tx,
      write.orgId,
      {
        actor: write.actor,
        action,
        target: `projects/${write.projectId}`,
        before: summary(write.before),
        after: summary(write.after),
      },
      write.eventId,
    );
    return "logged";
  });
}

export const onProjectWritten = onDocumentWrittenWithAuthContext(
  { document: "orgs/{orgId}/projects/{projectId}", region: REGION },
  (event) =>
    handleProjectWritten(liveDeps(), {
      eventId: event.id,
      orgId: event.params.orgId,
      projectId: event.params.projectId,
      before: event.data?.before,
      after: event.data?.after,
      actor: actorOf(event.authType, event.authId),
    }),
);
