import type { JobHandler } from "../lib/job-run.js";

/**
 * Every scheduled job by name, so `npm run job -- <name>` and the local stack's scheduler can run the
 * same handler the deployed schedule runs. Each feature adds its jobs in its own block.
 */
export const JOBS: Record<string, JobHandler> = {
  // orgs
  // billing
  // usage and ai
};
