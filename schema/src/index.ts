/**
 * @module
 * Hearth's document and API shapes as zod schemas and TypeScript types.
 * Each feature keeps its own block below; add exports by name, within your block.
 */

// api: orgs and accounts
export {
  DeleteMyAccountInput,
  ExportedMembership,
  ExportedProject,
  ExportMyDataInput,
  ExportMyDataOutput,
} from "./api/accounts.js";
// api: usage and ai
export {
  AI_PROMPT_MAX_CHARS,
  AiGenerateInput,
  AiGenerateOutput,
  AiRemaining,
  AiUsage,
  UsageShard,
} from "./api/ai.js";
// api: billing
export {
  BillingRecord,
  CreateCheckoutSessionInput,
  CreateCheckoutSessionOutput,
  CreatePortalSessionInput,
  CreatePortalSessionOutput,
  PaidPlanId,
  STRIPE_EVENT_STATUSES,
  StripeEventRecord,
  StripeEventStatus,
} from "./api/billing.js";
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
  OrgName,
  RemoveMemberInput,
  RequestId,
  RevokeInviteInput,
  TransferOwnershipInput,
  Uid,
} from "./api/orgs.js";
// documents (data model)
export {
  AiCacheDoc,
  ALLOWED_FILE_CONTENT_TYPES,
  AuditEntryDoc,
  DisplayName,
  FileDoc,
  FirestoreTimestamp,
  fileObjectPath,
  INVITE_STATUSES,
  InviteDoc,
  InviteStatus,
  JOB_RUN_STATUSES,
  JobRunDoc,
  LIMITS,
  MailDoc,
  MemberDoc,
  OrgDoc,
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
  RateLimitDoc,
  STRIPE_EVENT_STATUSES,
  StripeEventDoc,
  StripeEventStatus,
  UsageDoc,
  UsagePeriodId,
  UserDoc,
  UserProfileUpdate,
} from "./documents/index.js";
// roles and plans
export { BILLING_STATUSES, BillingStatus, Cap, Entitlements, PLAN_IDS, PlanId } from "./entitlements.js";
export { InvitableRole, ROLES, Role, roleAtLeast } from "./roles.js";
