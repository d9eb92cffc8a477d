import type { DocumentSnapshot } from "firebase-admin/firestore";

/** The org's counters this feature keeps exact in its transactions. */
export type OrgCounter = "memberCount" | "pendingInvites";

/** The counter one lower, never below zero (orgs written before a counter existed read as 0). */
export function decremented(org: DocumentSnapshot, counter: OrgCounter): number {
  const value = org.get(counter);
  return Math.max(0, (typeof value === "number" ? value : 0) - 1);
}
