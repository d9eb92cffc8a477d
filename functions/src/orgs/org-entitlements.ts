import type { Entitlements } from "@hearth/schema";
import { getPlan } from "../billing/plans.js";
import type { Doc } from "../db/refs.js";

/**
 * The org's entitlements in the current shape. An org migration 0001 has not reached yet (version 1) has
 * no file limits stored, and has those of its plan (schema/src/documents/org.ts).
 */
export function orgEntitlements(org: Doc<"org">): Entitlements {
  return { ...getPlan(org.plan).entitlements, ...org.entitlements };
}
