import { paths } from "@hearth/schema";
import type { Firestore } from "firebase-admin/firestore";
import { onObjectFinalized } from "firebase-functions/storage";
import { type Clock, systemClock } from "../lib/clock.js";
import { db } from "../lib/firestore.js";
import { logEvent } from "../lib/logging.js";
import { REGION } from "../lib/runtime.js";
import { parseFileObjectPath } from "./object-path.js";

export interface FinalizedObject {
  name: string;
  size: number;
  contentType: string | undefined;
  /** Storage's version number of the object; a redelivered event carries the same one. */
  generation: string;
  metadata: Record<string, string> | undefined;
}

export type RecordOutcome = "recorded" | "duplicate" | "ignored";

/**
 * Records an uploaded object as `orgs/{orgId}/files/{fileId}`, the document frontends list. Idempotent:
 * a redelivered event (same generation) changes nothing. `uploadedBy` comes from the object's metadata,
 * which storage.rules requires to be the uploader's uid; objects written by the server have none.
 */
export async function recordUploadedFile(
  deps: { db: Firestore; clock: Clock },
  object: FinalizedObject,
): Promise<RecordOutcome> {
  const target = parseFileObjectPath(object.name);
  if (!target) return "ignored";
  const ref = deps.db.doc(paths.file(target.orgId, target.fileId));
  const outcome = await deps.db.runTransaction(async (tx) => {
    const existing = await tx.get(ref);
    if (existing.get("generation") === object.generation) return "duplicate" as const;
    tx.set(ref, {
      storagePath: object.name,
      size: object.size,
      contentType: object.contentType || "application/octet-stream",
      uploadedBy: object.metadata?.uploadedBy || "system",
      createdAt: deps.clock.now(),
      generation: object.generation,
    });
    return "recorded" as const;
  });
  logEvent("files.recorded", { orgId: target.orgId, fileId: target.fileId, outcome });
  return outcome;
}

export const onFileUploaded = onObjectFinalized({ region: REGION }, (event) =>
  recordUploadedFile(
    { db: db(), clock: systemClock },
    {
      name: event.data.name,
      size: Number(event.data.size),
      contentType: event.data.contentType,
      generation: String(event.data.generation),
      metadata: event.data.metadata,
    },
  ),
);
