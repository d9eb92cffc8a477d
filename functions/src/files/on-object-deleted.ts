import { paths } from "@hearth/schema";
import type { Firestore } from "firebase-admin/firestore";
import { onObjectDeleted } from "firebase-functions/storage";
import { db } from "../lib/firestore.js";
import { logEvent } from "../lib/logging.js";
import { REGION } from "../lib/runtime.js";
import { parseFileObjectPath } from "./object-path.js";

export type ForgetOutcome = "deleted" | "kept" | "ignored";

/**
 * Removes the record of a deleted object. Only the record of that very generation goes: a late delete
 * event for an object that was since uploaded again leaves the new record alone.
 */
export async function forgetDeletedFile(
  deps: { db: Firestore },
  object: { name: string; generation: string },
): Promise<ForgetOutcome> {
  const target = parseFileObjectPath(object.name);
  if (!target) return "ignored";
  const ref = deps.db.doc(paths.file(target.orgId, target.fileId));
  const outcome = await deps.db.runTransaction(async (tx) => {
    const existing = await tx.get(ref);
    if (!existing.exists || existing.get("generation") !== object.generation) return "kept" as const;
    tx.delete(ref);
    return "deleted" as const;
  });
  logEvent("files.forgotten", { orgId: target.orgId, fileId: target.fileId, outcome });
  return outcome;
}

export const onFileDeleted = onObjectDeleted({ region: REGION }, (event) =>
  forgetDeletedFile({ db: db() }, { name: event.data.name, generation: String(event.data.generation) }),
);
