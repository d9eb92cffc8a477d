import { onObjectDeleted } from "firebase-functions/storage";
import type { Deps } from "../lib/deps.js";
import { db } from "../lib/firestore.js";
import { logEvent } from "../lib/logging.js";
import { REGION } from "../lib/runtime.js";
import { parseFileObjectPath } from "./object-path.js";
import { releaseFile } from "./quota.js";
import { fileRefs, readUsage, recordedSize } from "./records.js";

export type ForgetOutcome = "deleted" | "kept" | "ignored";

/**
 * Removes the record of a deleted object and takes its bytes off the org's usage, in one transaction. Only
 * the record of that very generation goes: a late delete event for an object that was since uploaded again
 * leaves the new record alone, and a redelivered event finds nothing to do. The usage document is only
 * updated while it exists, so events arriving during an org purge do not bring it back.
 */
export async function forgetDeletedFile(
  deps: Pick<Deps, "db">,
  object: { name: string; generation: string },
): Promise<ForgetOutcome> {
  const target = parseFileObjectPath(object.name);
  if (!target) return "ignored";
  const docs = fileRefs(deps.db, target.orgId, target.fileId);
  const outcome = await deps.db.runTransaction(async (tx) => {
    const [file, usage] = await Promise.all([tx.get(docs.file), tx.get(docs.usage)]);
    const size = recordedSize(file);
    if (size === null || file.data()?.generation !== object.generation) return "kept" as const;
    tx.delete(docs.file);
    if (usage.exists) tx.set(docs.usage, releaseFile(readUsage(usage), size));
    return "deleted" as const;
  });
  logEvent("files.forgotten", { orgId: target.orgId, fileId: target.fileId, outcome });
  return outcome;
}

export const onFileDeleted = onObjectDeleted({ region: REGION }, (event) =>
  forgetDeletedFile({ db: db() }, { name: event.data.name, generation: String(event.data.generation) }),
);
