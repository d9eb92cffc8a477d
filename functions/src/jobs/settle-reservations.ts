import { Timestamp } from "firebase-admin/firestore";
import { onSchedule } from "firebase-functions/scheduler";
import { validDocs } from "../db/read.js";
import { refs } from "../db/refs.js";
import { systemClock } from "../lib/clock.js";
import { db } from "../lib/firestore.js";
import { type JobHandler, runJob } from "../lib/job-run.js";
import { REGION } from "../lib/runtime.js";
import { closeReservation } from "../usage/meter.js";

const PAGE = 200;

/**
 * Releases reservations left open past their `staleAt` (an instance died between reserve and settle), so
 * a crash never holds an org's budget. Each release is a transaction that closes the reservation once; an
 * answer that arrives later is then not charged (meter.ts).
 */
export const settleReservations: JobHandler = async ({ db: firestore, clock }) => {
  const cutoff = Timestamp.fromDate(clock.now());
  let released = 0;
  let invalid = 0;
  let query = refs.aiReservations(firestore).where("staleAt", "<=", cutoff).limit(PAGE);
  for (;;) {
    const stale = await query.get();
    const { docs, skipped } = validDocs(stale.docs, "settleReservations");
    invalid += skipped;
    for (const { id, data } of docs) {
      const amount = { calls: data.calls, costMicros: data.costMicros };
      if (await closeReservation({ db: firestore }, { id, ...data, amount })) released++;
    }
    if (stale.size < PAGE) break;
    // Past this page: the released ones are gone, but an invalid one stays where it is.
    query = query.startAfter(stale.docs[stale.size - 1]!);
  }
  return { released, invalid };
};

/** Scheduled: every 5 minutes. */
export const scheduledSettleReservations = onSchedule(
  { schedule: "every 5 minutes", region: REGION },
  async () => {
    await runJob("settleReservations", settleReservations, { db: db(), clock: systemClock });
  },
);
