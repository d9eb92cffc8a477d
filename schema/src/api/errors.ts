import { z } from "zod";
import { Role } from "../roles.js";

/**
 * The closed set of `details.reason` values a callable may answer with, each with its error code(s), the
 * other fields of `details`, and when it happens. Frontends branch on these; functions throw only these.
 * Adding a reason here is adding it to the contract (client/contract, README's tables, @hearth/client).
 */

/** The callable protocol's codes Hearth answers with; the Firebase SDKs prefix them (`functions/…`). */
export const ERROR_CODES = [
  "invalid-argument",
  "unauthenticated",
  "permission-denied",
  "not-found",
  "already-exists",
  "failed-precondition",
  "resource-exhausted",
  "aborted",
  "unavailable",
  "deadline-exceeded",
  "internal",
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * Codes answered without `details` (no reason): signed out, not a member of the org (a missing org answers
 * the same, so ids cannot be probed), and an unexpected failure.
 */
export const CODES_WITHOUT_REASON = ["unauthenticated", "permission-denied", "internal"] as const;

const limitWindow = {
  scope: z.enum(["account", "org"]),
  window: z.enum(["hour", "day"]),
  limit: z.number().int(),
  retryAfterSeconds: z.number().int(),
};

type ReasonSpec = { codes: readonly ErrorCode[]; details: z.ZodRawShape; when: string };

export const ERROR_REASONS = {
  validation: {
    codes: ["invalid-argument"],
    details: { fields: z.record(z.string(), z.string()) },
    when: 'the input does not match the schema; `fields` maps each bad field ("(root)" for the object) to a message',
  },
  undecodable: {
    codes: ["invalid-argument"],
    details: { problem: z.enum(["too-deep", "type-tag", "reserved-key"]) },
    when: "the call's data cannot be decoded (nested too deep, an unknown `@type` tag, a `__proto__` key)",
  },
  "app-check": {
    codes: ["unauthenticated"],
    details: {},
    when: "App Check is enforced and the app sent no valid token",
  },
  "app-check-replayed": {
    codes: ["unauthenticated"],
    details: {},
    when: "the App Check token was already used; request a limited-use token for each call",
  },
  misconfigured: {
    codes: ["failed-precondition"],
    details: { settings: z.array(z.string()) },
    when: "the deployment's settings are wrong; `settings` names them",
  },
  contention: {
    codes: ["aborted"],
    details: {},
    when: "too many simultaneous changes; nothing was written, retry",
  },
  "org-deleted": {
    codes: ["failed-precondition"],
    details: {},
    when: "the organization was deleted (it is read-only until purged)",
  },
  role: {
    codes: ["permission-denied"],
    details: { required: Role.optional() },
    when: "your role is too low; `required` may name the minimum",
  },
  self: { codes: ["permission-denied"], details: {}, when: "you cannot do this to yourself" },
  "target-owner": {
    codes: ["permission-denied"],
    details: {},
    when: "the owner cannot be re-roled or removed",
  },
  "target-admin": {
    codes: ["permission-denied"],
    details: {},
    when: "only the owner changes or removes admins",
  },
  "grant-admin": { codes: ["permission-denied"], details: {}, when: "only the owner makes admins" },
  "not-owner": { codes: ["permission-denied"], details: {}, when: "owner only" },
  "owner-cannot-leave": {
    codes: ["failed-precondition"],
    details: {},
    when: "the owner cannot leave: transfer ownership or delete the org first",
  },
  "member-not-found": { codes: ["not-found"], details: {}, when: "no such member" },
  "invite-not-found": {
    codes: ["not-found"],
    details: {},
    when: "no such invitation, or the token is wrong",
  },
  "already-member": { codes: ["already-exists"], details: {}, when: "the person is already a member" },
  "seat-limit": {
    codes: ["resource-exhausted"],
    details: { seats: z.number().int() },
    when: "the plan's seats (members plus pending invitations) are all taken; `seats` is the plan's",
  },
  "email-unverified": {
    codes: ["failed-precondition", "permission-denied"],
    details: {},
    when: "the account has no verified email (inviteMember: failed-precondition; acceptInvite: permission-denied)",
  },
  "email-mismatch": {
    codes: ["permission-denied"],
    details: {},
    when: "the invitation was sent to another email address",
  },
  "invite-used": {
    codes: ["failed-precondition"],
    details: {},
    when: "the invitation was accepted by another account",
  },
  "invite-revoked": { codes: ["failed-precondition"], details: {}, when: "the invitation was revoked" },
  "invite-expired": {
    codes: ["failed-precondition"],
    details: {},
    when: "the invitation expired; ask for a new one",
  },
  "invite-not-pending": {
    codes: ["failed-precondition"],
    details: { status: z.string() },
    when: "the invitation is no longer pending; `status` says what it is",
  },
  "mail-limit": {
    codes: ["resource-exhausted"],
    details: limitWindow,
    when: "too many invitation emails from this account or org; `scope`, `window`, `limit`, `retryAfterSeconds`",
  },
  "org-create-limit": {
    codes: ["resource-exhausted"],
    details: limitWindow,
    when: "this account created too many orgs lately; `window`, `limit`, `retryAfterSeconds`",
  },
  "orgs-owned-limit": {
    codes: ["resource-exhausted"],
    details: { scope: z.literal("account"), limit: z.number().int() },
    when: "this account owns as many orgs as allowed (deleted ones count until purged); `limit`",
  },
  "owns-orgs": {
    codes: ["failed-precondition"],
    details: { orgIds: z.array(z.string()) },
    when: "the user owns orgs with other members (`orgIds`): transfer ownership or delete them first",
  },
  "already-subscribed": {
    codes: ["failed-precondition"],
    details: {},
    when: "the org already has a subscription; use the portal to change plans",
  },
  "plan-unavailable": {
    codes: ["failed-precondition"],
    details: {},
    when: "the plan's price is not configured",
  },
  "no-billing-account": {
    codes: ["failed-precondition"],
    details: {},
    when: "the org has no Stripe customer yet (portal before any checkout)",
  },
  stripe: {
    codes: ["unavailable"],
    details: { retryable: z.boolean() },
    when: "Stripe could not be reached or refused; try again when `retryable`",
  },
  "model-not-allowed": {
    codes: ["invalid-argument"],
    details: { fields: z.record(z.string(), z.string()), allowed: z.array(z.string()) },
    when: "the model is not in the plan; `allowed` lists the plan's models",
  },
  "model-unavailable": {
    codes: ["failed-precondition"],
    details: {},
    when: "the plan's model is not configured on this deployment",
  },
  "rate-limit": {
    codes: ["resource-exhausted"],
    details: { retryAfterSeconds: z.number().int() },
    when: "too many AI calls by this user this minute; retry after `retryAfterSeconds`",
  },
  "hard-cap": {
    codes: ["resource-exhausted"],
    details: {
      metric: z.enum(["calls", "cost"]),
      period: z.string(),
      scope: z.literal("account").optional(),
    },
    when: "the monthly hard cap is reached (`metric`, `period`); `scope: account` for the owner's free allowance",
  },
  "provider-unavailable": {
    codes: ["unavailable"],
    details: {},
    when: "the AI provider failed after retries; try again later",
  },
  "provider-timeout": {
    codes: ["deadline-exceeded"],
    details: {},
    when: "the AI provider was too slow; try again, maybe with a shorter prompt",
  },
} as const satisfies Record<string, ReasonSpec>;

export type ErrorReason = keyof typeof ERROR_REASONS;
export const ERROR_REASON_NAMES = Object.keys(ERROR_REASONS) as ErrorReason[];

/** The codes an error with `reason` may carry. */
export type ErrorCodeOf<R extends ErrorReason> = (typeof ERROR_REASONS)[R]["codes"][number];

type Output<Shape> = Shape extends z.ZodRawShape ? z.output<z.ZodObject<Shape>> : never;

/** `error.details` of an error with `reason`. */
export type ErrorDetailsOf<R extends ErrorReason> = Output<
  { reason: z.ZodLiteral<R> } & (typeof ERROR_REASONS)[R]["details"]
>;

/** Reasons whose `details` carry nothing else required: `{ reason }` is all of it. */
export type ReasonWithoutDetails = {
  [R in ErrorReason]: { reason: R } extends ErrorDetailsOf<R> ? R : never;
}[ErrorReason];

/** Any error's `details`: the union over every reason, discriminated by `reason`. */
export type HearthErrorDetails = { [R in ErrorReason]: ErrorDetailsOf<R> }[ErrorReason];

/** The zod schema of `details` for one reason; extra fields are allowed so the server may add some. */
export function errorDetailsSchema<R extends ErrorReason>(reason: R) {
  return z.object({ reason: z.literal(reason), ...ERROR_REASONS[reason].details }) as unknown as z.ZodType<
    ErrorDetailsOf<R>
  >;
}
