import type { DocumentSnapshot } from "firebase-admin/firestore";
import { dataOf } from "../db/read.js";
import type { Doc } from "../db/refs.js";

/** The org's counters this feature keeps exact in its transactions. */
export type OrgCounter = "memberCount" | "pendingInvites";

/** The counter one lower, never below zero, from the org or its typed snapshot. */
export function decremented(
  org: Doc<"org"> | DocumentSnapshot<Doc<"org">, Doc<"org">>,
  counter: OrgCounter,
): number {
  return Math.max(0, (dataOf(org)?.[counter] ?? 0) - 1);
}
