import { Timestamp } from "firebase-admin/firestore";
import { onSchedule } from "firebase-functions/scheduler";
import { systemClock } from "../lib/clock.js";
import { db } from "../lib/firestore.js";
import { type JobHandler, runJob } from "../lib/job-run.js";
import { REGION } from "../lib/runtime.js";
import { closeReservation } from "../usage/meter.js";
import { RESERVATIONS } from "../usage/refs.js";

const PAGE = 200;

/**
 * Releases reservations left open past their `staleAt` (an instance died between reserve and settle), so
 * a crash never holds an org's budget. Each release is a transaction that closes the reservation once; an
 * answer that arrives later is then not charged (meter.ts).
 */
export const settleReservations: JobHandler = async ({ db: firestore, clock }) => {
  const cutoff = Timestamp.fromDate(clock.now());
  let released = 0;
  for (;;) {
    const stale = await firestore.collection(RESERVATIONS).where("staleAt", "<=", cutoff).limit(PAGE).get();
    for (const doc of stale.docs) {
      const closed = await closeReservation(
        { db: firestore },
        {
          id: doc.id,
          orgId: doc.get("orgId"),
          period: doc.get("period"),
          uid: doc.get("uid"),
          shard: doc.get("shard"),
          amount: { calls: doc.get("calls"), costMicros: doc.get("costMicros") },
        },
      );
      if (closed) released++;
    }
    if (stale.size < PAGE) break;
  }
  return { released };
};

/** Scheduled: every 5 minutes. */
export const scheduledSettleReservations = onSchedule(
  { schedule: "every 5 minutes", region: REGION },
  async () => {
    await runJob("settleReservations", settleReservations, { db: db(), clock: systemClock });
  },
);
