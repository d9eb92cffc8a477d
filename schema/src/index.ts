/**
 * @module
 * Hearth's document and API shapes as zod schemas and TypeScript types.
 * Each feature keeps its own block below; add exports by name, within your block.
 */
// biome-ignore-all assist/source/organizeImports: exports stay grouped in one block per feature.

// roles and plans
export { BILLING_STATUSES, BillingStatus, Cap, Entitlements, PLAN_IDS, PlanId } from "./entitlements.js";
export { InvitableRole, ROLES, Role, roleAtLeast } from "./roles.js";

// documents (data model)
export {
  AccountLimitsDoc,
  AiCacheDoc,
  AiReservationDoc,
  ALLOWED_FILE_CONTENT_TYPES,
  AuditEntryDoc,
  CheckoutSessionDoc,
  DisplayName,
  FileDoc,
  FirestoreTimestamp,
  FreeAiUsageDoc,
  fileObjectPath,
  INVITE_STATUSES,
  InviteDoc,
  InviteStatus,
  JOB_RUN_STATUSES,
  JobRunDoc,
  jsPattern,
  LIMITS,
  longText,
  MAIL_DELIVERY_STATES,
  MailDoc,
  MemberDoc,
  NAME_FORBIDDEN,
  NAME_PATTERN,
  PHOTO_URL_PATTERN,
  nameText,
  OrgDoc,
  OrgDocAnyVersion,
  OrgDocV1,
  OrgName,
  OrgSettings,
  OrgUpdate,
  PhotoUrl,
  PROJECT_STATUSES,
  PrivateBillingDoc,
  ProjectDescription,
  ProjectDoc,
  ProjectInput,
  ProjectName,
  ProjectStatus,
  ProjectUpdate,
  paths,
  OrgLimitsDoc,
  RateLimitDoc,
  SETTING_KEY_PATTERN,
  SETTING_KEYS_PATTERN,
  SettingKey,
  StorageUsageDoc,
  STRIPE_EVENT_STATUSES,
  StripeEventDoc,
  StripeEventStatus,
  TEXT_PATTERN,
  UsageDoc,
  UsagePeriodId,
  UsageShardAnyVersion,
  UsageShardV1,
  UsageUserDoc,
  UserDoc,
  UserProfileUpdate,
} from "./documents/index.js";

// api: orgs and accounts
export {
  AcceptInviteInput,
  AcceptInviteOutput,
  ChangeMemberRoleInput,
  CreateOrgInput,
  CreateOrgOutput,
  DeleteOrgInput,
  DocId,
  EmptyOutput,
  InviteEmail,
  InviteMemberInput,
  InviteMemberOutput,
  InviteToken,
  LeaveOrgInput,
  RemoveMemberInput,
  RequestId,
  RevokeInviteInput,
  TransferOwnershipInput,
  Uid,
} from "./api/orgs.js";
export {
  DeleteMyAccountInput,
  ExportedMembership,
  ExportedProject,
  ExportMyDataInput,
  ExportMyDataOutput,
} from "./api/accounts.js";

// api: billing
export {
  CreateCheckoutSessionInput,
  CreateCheckoutSessionOutput,
  CreatePortalSessionInput,
  CreatePortalSessionOutput,
  PaidPlanId,
} from "./api/billing.js";

// api: usage and ai
export {
  AI_PROMPT_MAX_CHARS,
  AiGenerateInput,
  AiGenerateOutput,
  AiRemaining,
  AiUsage,
  UsageShard,
} from "./api/ai.js";

// api: the callables' contract (names, error reasons, role matrix as data)
export {
  CALLABLE_NAMES,
  CALLABLES,
  type CallableContract,
  type CallableName,
  type CallErrorReason,
  type CallInput,
  type CallOutput,
} from "./api/callables.js";
export {
  CODES_WITHOUT_REASON,
  ERROR_CODES,
  ERROR_REASON_NAMES,
  ERROR_REASONS,
  ErrorCode,
  type ErrorCodeOf,
  type ErrorDetailsOf,
  type ErrorReason,
  errorDetailsSchema,
  type HearthErrorDetails,
  type ReasonWithoutDetails,
} from "./api/errors.js";
export { can, PERMISSIONS, type Permission } from "./api/permissions.js";
