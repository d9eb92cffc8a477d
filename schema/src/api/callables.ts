import type { z } from "zod";
import { DeleteMyAccountInput, ExportMyDataInput, ExportMyDataOutput } from "./accounts.js";
import { AiGenerateInput, AiGenerateOutput } from "./ai.js";
import {
  CreateCheckoutSessionInput,
  CreateCheckoutSessionOutput,
  CreatePortalSessionInput,
  CreatePortalSessionOutput,
} from "./billing.js";
import type { ErrorReason } from "./errors.js";
import {
  AcceptInviteInput,
  AcceptInviteOutput,
  ChangeMemberRoleInput,
  CreateOrgInput,
  CreateOrgOutput,
  DeleteOrgInput,
  EmptyOutput,
  InviteMemberInput,
  InviteMemberOutput,
  LeaveOrgInput,
  RemoveMemberInput,
  RevokeInviteInput,
  TransferOwnershipInput,
} from "./orgs.js";

/** What every callable may answer: bad or undecodable input, App Check, a transaction that kept losing. */
const ANY_CALL = ["validation", "undecodable", "app-check", "contention"] as const;
/** What a call on one org answers when the org is gone or the caller's role is too low. */
const IN_ORG = ["org-deleted", "role"] as const;
/** Money and AI callables consume the App Check token; their settings are checked in a real project. */
const GUARDED = ["app-check-replayed", "misconfigured"] as const;

export interface CallableContract {
  input: z.ZodType;
  output: z.ZodType;
  /** Every `details.reason` the callable may answer with (codes without a reason: CODES_WITHOUT_REASON). */
  errors: readonly ErrorReason[];
  /** One line for README's table. */
  summary: string;
}

/**
 * Every callable by its deployed name (DESIGN.md's API table): input, output and the reasons of its
 * errors. @hearth/client types `call()` from it; client/contract and README's tables are generated from it.
 */
export const CALLABLES = {
  createOrg: {
    input: CreateOrgInput,
    output: CreateOrgOutput,
    errors: [...ANY_CALL, "org-create-limit", "orgs-owned-limit"],
    summary: "create an org; the caller becomes its owner (a retried `requestId` answers the same org)",
  },
  inviteMember: {
    input: InviteMemberInput,
    output: InviteMemberOutput,
    errors: [
      ...ANY_CALL,
      ...IN_ORG,
      "misconfigured",
      "grant-admin",
      "email-unverified",
      "already-member",
      "mail-limit",
      "seat-limit",
    ],
    summary: "invite an email as admin, member or viewer; the link goes out by email",
  },
  acceptInvite: {
    input: AcceptInviteInput,
    output: AcceptInviteOutput,
    errors: [
      ...ANY_CALL,
      "org-deleted",
      "email-unverified",
      "email-mismatch",
      "invite-not-found",
      "invite-used",
      "invite-revoked",
      "invite-expired",
      "seat-limit",
    ],
    summary: "join the org of an invitation link with the invited, verified email",
  },
  revokeInvite: {
    input: RevokeInviteInput,
    output: EmptyOutput,
    errors: [...ANY_CALL, ...IN_ORG, "grant-admin", "invite-not-found", "invite-not-pending"],
    summary: "revoke a pending invitation (frees its seat)",
  },
  changeMemberRole: {
    input: ChangeMemberRoleInput,
    output: EmptyOutput,
    errors: [
      ...ANY_CALL,
      ...IN_ORG,
      "self",
      "target-owner",
      "target-admin",
      "grant-admin",
      "member-not-found",
    ],
    summary: "give a member another role (never owner: see transferOwnership)",
  },
  removeMember: {
    input: RemoveMemberInput,
    output: EmptyOutput,
    errors: [...ANY_CALL, ...IN_ORG, "self", "target-owner", "target-admin", "member-not-found"],
    summary: "remove a member; access ends at once",
  },
  leaveOrg: {
    input: LeaveOrgInput,
    output: EmptyOutput,
    errors: [...ANY_CALL, "org-deleted", "owner-cannot-leave"],
    summary: "leave an org (anyone but the owner)",
  },
  transferOwnership: {
    input: TransferOwnershipInput,
    output: EmptyOutput,
    errors: [...ANY_CALL, "org-deleted", "not-owner", "self", "member-not-found"],
    summary: "make another member the owner; the previous owner becomes an admin",
  },
  deleteOrg: {
    input: DeleteOrgInput,
    output: EmptyOutput,
    errors: [...ANY_CALL, "not-owner"],
    summary: "soft-delete an org (owner only); purged after the retention period",
  },
  exportMyData: {
    input: ExportMyDataInput,
    output: ExportMyDataOutput,
    errors: [...ANY_CALL],
    summary: "the caller's profile, memberships and projects as JSON",
  },
  deleteMyAccount: {
    input: DeleteMyAccountInput,
    output: EmptyOutput,
    errors: [...ANY_CALL, "owns-orgs"],
    summary: "delete the caller's data and Auth account",
  },
  createCheckoutSession: {
    input: CreateCheckoutSessionInput,
    output: CreateCheckoutSessionOutput,
    errors: [...ANY_CALL, ...IN_ORG, ...GUARDED, "already-subscribed", "plan-unavailable", "stripe"],
    summary: "a Stripe Checkout URL to buy a plan for the org (owners and admins)",
  },
  createPortalSession: {
    input: CreatePortalSessionInput,
    output: CreatePortalSessionOutput,
    errors: [...ANY_CALL, ...IN_ORG, ...GUARDED, "no-billing-account", "stripe"],
    summary: "a Stripe Billing Portal URL for the org (owners and admins)",
  },
  aiGenerate: {
    input: AiGenerateInput,
    output: AiGenerateOutput,
    errors: [
      ...ANY_CALL,
      ...IN_ORG,
      ...GUARDED,
      "model-not-allowed",
      "model-unavailable",
      "rate-limit",
      "hard-cap",
      "provider-unavailable",
      "provider-timeout",
    ],
    summary: "an AI answer within the plan's models, rate limit and monthly caps",
  },
} as const satisfies Record<string, CallableContract>;

export type CallableName = keyof typeof CALLABLES;
export const CALLABLE_NAMES = Object.keys(CALLABLES) as CallableName[];

/** What a caller sends: the input schema's input side (before trims and transforms). */
export type CallInput<N extends CallableName> = z.input<(typeof CALLABLES)[N]["input"]>;
/** What a call answers. */
export type CallOutput<N extends CallableName> = z.output<(typeof CALLABLES)[N]["output"]>;
/** The reasons a call's errors may carry. */
export type CallErrorReason<N extends CallableName> = (typeof CALLABLES)[N]["errors"][number];
