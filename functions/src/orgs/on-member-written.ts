import { onDocumentWritten } from "firebase-functions/firestore";
import { writeAudit } from "../lib/audit.js";
import { logEvent } from "../lib/logging.js";
import { REGION } from "../lib/runtime.js";
import { liveDeps, type OrgDeps } from "./deps.js";
import { orgRef } from "./paths.js";

/**
 * Keeps `memberCount` equal to the number of member documents. The callables already move the count
 * in the transaction that adds or removes a member (and audit it there, with the acting user); this
 * trigger repairs drift from writes that bypass them (console edits, scripts) and audits the
 * correction. It recounts instead of incrementing, so redelivered events are harmless.
 */
export async function handleMemberWritten(
  deps: OrgDeps,
  orgId: string,
): Promise<"in-sync" | "corrected" | "skipped"> {
  const org = orgRef(deps.db, orgId);
  const outcome = await deps.db.runTransaction(async (tx) => {
    const orgSnap = await tx.get(org);
    if (!orgSnap.exists || orgSnap.get("deletedAt") != null) return "skipped" as const;
    const count = (await tx.get(org.collection("members").count())).data().count;
    const recorded = orgSnap.get("memberCount") as number | undefined;
    if (recorded === count) return "in-sync" as const;
    tx.update(org, { memberCount: count });
    writeAudit(deps.db, tx, orgId, {
      actor: "system",
      action: "org.member_count_corrected",
      target: `orgs/${orgId}`,
      before: { memberCount: recorded ?? null },
      after: { memberCount: count },
    });
    return "corrected" as const;
  });
  if (outcome === "corrected") logEvent("org.member_count_corrected", { orgId });
  return outcome;
}

export const onMemberWritten = onDocumentWritten(
  { document: "orgs/{orgId}/members/{uid}", region: REGION },
  (event) => handleMemberWritten(liveDeps(), event.params.orgId),
);
