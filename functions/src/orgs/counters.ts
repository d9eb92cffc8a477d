import type { DocumentSnapshot } from "firebase-admin/firestore";
import { typedData } from "../db/read.js";
import { converters, type Doc } from "../db/refs.js";

/** The org's counters this feature keeps exact in its transactions. */
export type OrgCounter = "memberCount" | "pendingInvites";

/** The counter one lower, never below zero. */
export function decremented(org: Doc<"org"> | DocumentSnapshot, counter: OrgCounter): number {
  return Math.max(0, (typedData(org, converters.org)?.[counter] ?? 0) - 1);
}
