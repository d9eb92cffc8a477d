import { Timestamp } from "firebase-admin/firestore";
import { onSchedule } from "firebase-functions/scheduler";
import { validData, validDocs } from "../db/read.js";
import { groups, refs } from "../db/refs.js";
import { writeAudit } from "../lib/audit.js";
import { liveDeps } from "../lib/deps.js";
import { type JobHandler, runJob } from "../lib/job-run.js";
import { REGION } from "../lib/runtime.js";
import { decremented } from "../orgs/counters.js";

const PAGE = 200;
const SOURCE = "expireInvites";
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
  let invalid = 0;
  let query = groups.invites(db).where("status", "==", "pending").where("expiresAt", "<=", now).limit(PAGE);
  while (scanned < MAX_PER_RUN) {
    const page = await query.get();
    if (page.empty) break;
    scanned += page.size;
    const invites = validDocs(page.docs, SOURCE);
    invalid += invites.skipped;
    for (const { ref } of invites.docs) {
      const orgId = ref.parent.parent?.id;
      if (!orgId) continue;
      const orgRef = refs.org(db, orgId);
      const done = await db.runTransaction(async (tx) => {
        const [inviteSnap, org] = await Promise.all([tx.get(ref), tx.get(orgRef)]);
        const invite = validData(inviteSnap, SOURCE);
        if (invite?.status !== "pending" || invite.expiresAt.toMillis() > now.toMillis()) return false;
        tx.update(ref, { status: "expired" });
        if (org.exists) {
          tx.update(orgRef, { pendingInvites: decremented(org, "pendingInvites") });
          writeAudit(db, tx, orgId, {
            actor: "system",
            action: "invite.expired",
            target: `invites/${ref.id}`,
            before: { status: "pending" },
            after: { status: "expired" },
          });
        }
        return true;
      });
      if (done) expired++;
    }
    if (page.size < PAGE) break;
    // Past this page: expired invites leave the query, an invalid one would be found again.
    query = query.startAfter(page.docs[page.size - 1]!);
  }
  return { expired, scanned, invalid };
};

export const scheduledExpireInvites = onSchedule(
  { schedule: "every 60 minutes", region: REGION },
  async () => {
    await runJob("expireInvites", expireInvites, liveDeps());
  },
);
