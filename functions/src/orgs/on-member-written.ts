import { onDocumentWritten } from "firebase-functions/firestore";
import { validData } from "../db/read.js";
import { refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import { type Deps, liveDeps } from "../lib/deps.js";
import { logEvent } from "../lib/logging.js";
import { REGION } from "../lib/runtime.js";

/**
 * Keeps `memberCount` equal to the number of member documents. The callables already move the count
 * in the transaction that adds or removes a member (and audit it there, with the acting user); this
 * trigger repairs drift from writes that bypass them (console edits, scripts) and audits the
 * correction. It recounts instead of incrementing, so redelivered events are harmless.
 */
export async function handleMemberWritten(
  deps: Deps,
  orgId: string,
): Promise<"in-sync" | "corrected" | "skipped"> {
  const org = refs.org(deps.db, orgId);
  const outcome = await deps.db.runTransaction(async (tx) => {
    const orgData = validData(await tx.get(org), "onMemberWritten");
    if (!orgData || orgData.deletedAt != null) return "skipped" as const;
    const count = (await tx.get(refs.members(deps.db, orgId).count())).data().count;
    const recorded = orgData.memberCount;
    if (recorded === count) return "in-sync" as const;
    tx.update(org, { memberCount: count });
    writeAudit(deps.db, tx, orgId, {
      actor: "system",
      action: "org.member_count_corrected",
      target: `orgs/${orgId}`,
      before: { memberCount: recorded },
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
