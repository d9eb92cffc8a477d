import { Timestamp } from "firebase-admin/firestore";
import { onSchedule } from "firebase-functions/scheduler";
import { writeAudit } from "../lib/audit.js";
import { type JobHandler, runJob } from "../lib/job-run.js";
import { REGION } from "../lib/runtime.js";
import { decremented } from "../orgs/counters.js";
import { liveDeps } from "../orgs/deps.js";

const PAGE = 200;
/** Upper bound per run, so a backlog is worked off over several runs instead of one long one. */
const MAX_PER_RUN = 2_000;

/**
 * Marks pending invitations past `expiresAt` as expired and frees their seats (`pendingInvites`). Each
 * invite is re-checked in the transaction that expires it, so a concurrent accept or revoke wins and a
 * rerun finds nothing left to do.
 */
export const expireInvites: JobHandler = async ({ db, clock }) => {
  const now = Timestamp.fromDate(clock.now());
  let expired = 0;
  let scanned = 0;
  while (scanned < MAX_PER_RUN) {
    const page = await db
      .collectionGroup("invites")
      .where("status", "==", "pending")
      .where("expiresAt", "<=", now)
      .limit(PAGE)
      .get();
    if (page.empty) break;
    scanned += page.size;
    for (const doc of page.docs) {
      const orgRef = doc.ref.parent.parent;
      if (!orgRef) continue;
      const done = await db.runTransaction(async (tx) => {
        const [invite, org] = await tx.getAll(doc.ref, orgRef);
        if (invite!.get("status") !== "pending") return false;
        if ((invite!.get("expiresAt") as Timestamp).toMillis() > now.toMillis()) return false;
        tx.update(doc.ref, { status: "expired" });
        if (org!.exists) {
          tx.update(orgRef, { pendingInvites: decremented(org!, "pendingInvites") });
          writeAudit(db, tx, orgRef.id, {
            actor: "system",
            action: "invite.expired",
            target: `invites/${doc.id}`,
            before: { status: "pending" },
            after: { status: "expired" },
          });
        }
        return true;
      });
      if (done) expired++;
    }
    if (page.size < PAGE) break;
  }
  return { expired, scanned };
};

export const scheduledExpireInvites = onSchedule(
  { schedule: "every 60 minutes", region: REGION },
  async () => {
    await runJob("expireInvites", expireInvites, liveDeps());
  },
);
