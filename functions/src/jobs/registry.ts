import type { JobHandler } from "../lib/job-run.js";
import { expireInvitesJob } from "./expire-invites.js";
import { purgeDeletedOrgsJob } from "./purge-deleted-orgs.js";

/**
 * Every scheduled job by name, so `npm run job -- <name>` and the local stack's scheduler can run the
 * same handler the deployed schedule runs. Each feature adds its jobs in its own block.
 */
export const JOBS: Record<string, JobHandler> = {
  // orgs
  expireInvites: expireInvitesJob,
  purgeDeletedOrgs: purgeDeletedOrgsJob,
  // billing
  // usage and ai
};
