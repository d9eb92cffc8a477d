import { Timestamp } from "firebase-admin/firestore";
import { onObjectFinalized } from "firebase-functions/storage";
import { refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import { systemClock } from "../lib/clock.js";
import { db } from "../lib/firestore.js";
import { logEvent } from "../lib/logging.js";
import { REGION } from "../lib/runtime.js";
import { orgEntitlements } from "../orgs/org-entitlements.js";
import { parseFileObjectPath } from "./object-path.js";
import { admitFile, type FileRefusal } from "./quota.js";
import {
  defaultBucket,
  type FileDeps,
  fileRefs,
  isLiveGeneration,
  readUsage,
  recordedSize,
} from "./records.js";

export interface FinalizedObject {
  name: string;
  size: number;
  contentType: string | undefined;
  /** Storage's version number of the object; a redelivered event carries the same one. */
  generation: string;
  metadata: Record<string, string> | undefined;
}

/**
 * `recorded`: the record and usage now include the object; `duplicate`: already recorded; `rejected`: it did
 * not fit the plan (or the org is deleted) and was deleted; `gone`: the object no longer exists in this
 * generation; `ignored`: not a file path.
 */
export type RecordOutcome = "recorded" | "duplicate" | "rejected" | "gone" | "ignored";

type Verdict =
  | { outcome: "recorded" | "duplicate" }
  | { outcome: "rejected"; reason: FileRefusal | "org-deleted" };

/**
 * Records an uploaded object as `orgs/{orgId}/files/{fileId}`, the document frontends list, and adds it to
 * the org's usage (`usage/storage`) in the same transaction, so both stay exact. storage.rules refuses an
 * upload past the plan, but two uploads judged at the same moment both see the old usage: whichever is
 * recorded second and does not fit is deleted here (and audited as `files.rejected`), so usage never passes
 * the plan. Idempotent: a redelivered event (same generation) changes nothing, and an event about an
 * object that is gone is dropped. `uploadedBy` comes from the object's metadata, which storage.rules
 * requires to be the uploader's uid; objects written by the server have none.
 */
export async function recordUploadedFile(deps: FileDeps, object: FinalizedObject): Promise<RecordOutcome> {
  const target = parseFileObjectPath(object.name);
  if (!target) return "ignored";
  const { orgId, fileId } = target;
  if (!(await isLiveGeneration(deps.bucket, object.name, object.generation))) {
    logEvent("files.recorded", { orgId, fileId, outcome: "gone" });
    return "gone";
  }
  const docs = fileRefs(deps.db, orgId, fileId);
  const auditId = `file-rejected-${fileId}-${object.generation}`;
  const auditRef = refs.auditEntry(deps.db, orgId, auditId);
  const verdict = await deps.db.runTransaction(async (tx): Promise<Verdict> => {
    const [orgSnap, file, usage, audit] = await Promise.all([
      tx.get(docs.org),
      tx.get(docs.file),
      tx.get(docs.usage),
      tx.get(auditRef),
    ]);
    if (file.data()?.generation === object.generation) return { outcome: "duplicate" };
    const org = orgSnap.data();
    if (!org || org.deletedAt != null) return { outcome: "rejected", reason: "org-deleted" };
    const admission = admitFile(orgEntitlements(org), readUsage(usage), object.size, recordedSize(file));
    if (!admission.ok) {
      if (!audit.exists) {
        const entry = {
          actor: object.metadata?.uploadedBy || "system",
          action: "files.rejected",
          target: `files/${fileId}`,
          after: { reason: admission.reason, size: object.size },
        };
        writeAudit(deps.db, tx, orgId, entry, auditId);
      }
      return { outcome: "rejected", reason: admission.reason };
    }
    tx.set(docs.file, {
      storagePath: object.name,
      size: object.size,
      contentType: object.contentType || "application/octet-stream",
      uploadedBy: object.metadata?.uploadedBy || "system",
      createdAt: Timestamp.fromDate(deps.clock.now()),
      generation: object.generation,
    });
    tx.set(docs.usage, admission.usage);
    return { outcome: "recorded" };
  });
  if (verdict.outcome === "rejected") await deleteGeneration(deps, object);
  logEvent("files.recorded", {
    orgId,
    fileId,
    outcome: verdict.outcome,
    ...(verdict.outcome === "rejected" ? { reason: verdict.reason } : {}),
  });
  return verdict.outcome;
}

/** Deletes this generation of the object only: a newer upload to the same path is left alone. */
async function deleteGeneration(deps: FileDeps, object: FinalizedObject): Promise<void> {
  try {
    await deps.bucket.file(object.name).delete({ ifGenerationMatch: object.generation });
  } catch (err) {
    // 404: already deleted (a redelivered event); 412: replaced by a newer upload since.
    const code = (err as { code?: number }).code;
    if (code !== 404 && code !== 412) throw err;
  }
}

export const onFileUploaded = onObjectFinalized({ region: REGION }, (event) =>
  recordUploadedFile(
    { db: db(), clock: systemClock, bucket: defaultBucket() },
    {
      name: event.data.name,
      size: Number(event.data.size),
      contentType: event.data.contentType,
      generation: String(event.data.generation),
      metadata: event.data.metadata,
    },
  ),
);
