import { Timestamp } from "firebase-admin/firestore";
import { onSchedule } from "firebase-functions/scheduler";
import { refs } from "../db/refs.js";
import { systemClock } from "../lib/clock.js";
import { db } from "../lib/firestore.js";
import { type JobHandler, runJob } from "../lib/job-run.js";
import { REGION } from "../lib/runtime.js";

const PAGE = 400;

/**
 * Deletes expired `aiCache` entries. In production a Firestore TTL policy on `aiCache.expiresAt` does the
 * same; this job keeps the local stack tidy and catches up if the policy is missing. Expired entries are
 * never served either way (cache.ts checks `expiresAt`).
 */
export const pruneAiCache: JobHandler = async ({ db: firestore, clock }) => {
  const cutoff = Timestamp.fromDate(clock.now());
  let deleted = 0;
  for (;;) {
    const expired = await refs.aiCaches(firestore).where("expiresAt", "<=", cutoff).limit(PAGE).get();
    if (expired.empty) break;
    const batch = firestore.batch();
    for (const doc of expired.docs) batch.delete(doc.ref);
    await batch.commit();
    deleted += expired.size;
    if (expired.size < PAGE) break;
  }
  return { deleted };
};

/** Scheduled: daily at 03:30 UTC. */
export const scheduledPruneAiCache = onSchedule(
  { schedule: "30 3 * * *", timeZone: "Etc/UTC", region: REGION },
  async () => {
    await runJob("pruneAiCache", pruneAiCache, { db: db(), clock: systemClock });
  },
);
