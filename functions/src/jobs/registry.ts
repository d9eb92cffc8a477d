import type { JobHandler } from "../lib/job-run.js";
import { closeUsagePeriod } from "./close-usage-period.js";
import { expireInvites } from "./expire-invites.js";
import { pruneAiCache } from "./prune-ai-cache.js";
import { purgeDeletedOrgs } from "./purge-deleted-orgs.js";
import { reconcileBillingJob } from "./reconcile-billing.js";
import { settleReservations } from "./settle-reservations.js";

/**
 * Every scheduled job by name, so `npm run job -- <name>` and the local stack's scheduler can run the
 * same handler the deployed schedule runs. Each feature adds its jobs in its own block.
 */
export const JOBS: Record<string, JobHandler> = {
  // orgs
  expireInvites,
  purgeDeletedOrgs,
  // billing
  reconcileBilling: reconcileBillingJob,
  // usage and ai
  closeUsagePeriod,
  pruneAiCache,
  settleReservations,
};
