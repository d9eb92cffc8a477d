import { z } from "zod";
import { BillingStatus, Entitlements, PlanId } from "../entitlements.js";
import { LIMITS } from "./limits.js";
import { jsPattern, longText, NAME_PATTERN, SettingKey } from "./text.js";
import { FirestoreTimestamp } from "./timestamp.js";

/** Trimmed, 1 to 100 characters, no control or bidirectional characters (it goes into email subjects). */
export const OrgName = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.orgNameMax)
  .regex(jsPattern(NAME_PATTERN), "No control characters (line breaks, tabs) or bidirectional controls.");

/**
 * Free-form org preferences for the frontend: at most 20 keys (identifiers) of scalar values, so the map is
 * flat and at most about 12 KB. firestore.rules checks the same: key pattern, count, value types and lengths.
 */
export const OrgSettings = z
  .record(SettingKey, z.union([longText(LIMITS.orgSettingStringMax), z.number(), z.boolean(), z.null()]))
  .refine((settings) => Object.keys(settings).length <= LIMITS.orgSettingsMaxKeys, {
    message: `settings may hold at most ${LIMITS.orgSettingsMaxKeys} keys`,
  });
export type OrgSettings = z.infer<typeof OrgSettings>;

/** The fields an admin or owner may write on `orgs/{orgId}` from a client. */
export const OrgUpdate = z.object({ name: OrgName, settings: OrgSettings }).partial().strict();
export type OrgUpdate = z.infer<typeof OrgUpdate>;

/** `orgs/{orgId}`. Everything except `name` and `settings` is written by the server only. */
export const OrgDoc = z.object({
  name: OrgName,
  settings: OrgSettings,
  ownerUid: z.string().min(1),
  plan: PlanId,
  entitlements: Entitlements,
  billingStatus: BillingStatus,
  memberCount: z.number().int().nonnegative(),
  /** Pending invitations; with memberCount it is what the plan's seat limit counts. */
  pendingInvites: z.number().int().nonnegative(),
  createdAt: FirestoreTimestamp,
  /** Set when the org is soft-deleted; the rules then make it read-only until the purge job runs. */
  deletedAt: FirestoreTimestamp.nullable(),
});
export type OrgDoc = z.infer<typeof OrgDoc>;

/**
 * Version 1 of `orgs/{orgId}`: entitlements from before plans had file limits (no `files`, no
 * `fileMaxBytes`). Migration 0001 (functions/src/migrations) fills them from the plan; until it has run
 * everywhere, readers parse with OrgDocAnyVersion and treat a version-1 org as having its plan's limits.
 */
export const OrgDocV1 = OrgDoc.extend({
  entitlements: Entitlements.omit({ files: true, fileMaxBytes: true }),
});
export type OrgDocV1 = z.infer<typeof OrgDocV1>;

/** What readers accept while migration 0001 is in flight: the current shape, then version 1. */
export const OrgDocAnyVersion = z.union([OrgDoc, OrgDocV1]);
export type OrgDocAnyVersion = z.infer<typeof OrgDocAnyVersion>;
