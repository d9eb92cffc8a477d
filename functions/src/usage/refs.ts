import type { Firestore } from "firebase-admin/firestore";

/**
 * Where usage lives: `orgs/{orgId}/usage/{period}` (the month's live totals, see meter.ts), its
 * `shards/{n}` (live counters) and `users/{uid}` (per-user counters), all readable by members; and
 * `aiReservations/{id}` (open reservations, server only); and `freeAiUsage/{period}_{uid}`, what one
 * account's free orgs used and hold reserved together that month (server only; see meter.ts).
 */
export const RESERVATIONS = "aiReservations";
export const FREE_AI_USAGE = "freeAiUsage";

export function usageRefs(db: Firestore, orgId: string, period: string) {
  const period_ = db.collection("orgs").doc(orgId).collection("usage").doc(period);
  return {
    period: period_,
    shards: () => period_.collection("shards"),
    shard: (n: number) => period_.collection("shards").doc(String(n)),
    user: (uid: string) => period_.collection("users").doc(uid),
    reservation: (id: string) => db.collection(RESERVATIONS).doc(id),
    newReservationId: () => db.collection(RESERVATIONS).doc().id,
    account: (uid: string) => accountUsageRef(db, uid, period),
  };
}

/** One account's free-allowance month: `freeAiUsage/{period}_{uid}`. */
export function accountUsageRef(db: Firestore, uid: string, period: string) {
  return db.collection(FREE_AI_USAGE).doc(`${period}_${uid}`);
}
