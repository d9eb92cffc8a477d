import type { Firestore } from "firebase-admin/firestore";

/**
 * Where usage lives: `orgs/{orgId}/usage/{period}` (the month's summary, written when it closes), its
 * `shards/{n}` (live counters) and `users/{uid}` (per-user counters), all readable by members; and
 * `aiReservations/{id}` (open reservations, server only).
 */
export const RESERVATIONS = "aiReservations";

export function usageRefs(db: Firestore, orgId: string, period: string) {
  const period_ = db.collection("orgs").doc(orgId).collection("usage").doc(period);
  return {
    period: period_,
    shards: () => period_.collection("shards"),
    shard: (n: number) => period_.collection("shards").doc(String(n)),
    user: (uid: string) => period_.collection("users").doc(uid),
    reservation: (id: string) => db.collection(RESERVATIONS).doc(id),
    newReservationId: () => db.collection(RESERVATIONS).doc().id,
  };
}
