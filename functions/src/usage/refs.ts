import type { Firestore } from "firebase-admin/firestore";
import { refs } from "../db/refs.js";

/**
 * Where usage lives: `orgs/{orgId}/usage/{period}` (the month's live totals, see meter.ts), its
 * `shards/{n}` (live counters) and `users/{uid}` (per-user counters), all readable by members; and
 * `aiReservations/{id}` (open reservations, server only); and `freeAiUsage/{period}_{uid}`, what one
 * account's free orgs used and hold reserved together that month (server only; see meter.ts). These are
 * the typed handles of one org's month, as the meter and the close job use them.
 */
export function usageRefs(db: Firestore, orgId: string, period: string) {
  return {
    period: refs.usage(db, orgId, period),
    shards: () => refs.usageShards(db, orgId, period),
    shard: (n: number) => refs.usageShard(db, orgId, period, n),
    user: (uid: string) => refs.usageUser(db, orgId, period, uid),
    reservation: (id: string) => refs.aiReservation(db, id),
    newReservationId: () => refs.aiReservations(db).doc().id,
    account: (uid: string) => refs.freeAiUsage(db, period, uid),
  };
}
