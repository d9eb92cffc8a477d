export { AuditEntryDoc } from "./audit-entry.js";
export {
  AccountLimitsDoc,
  AiCacheDoc,
  AiReservationDoc,
  FreeAiUsageDoc,
  JOB_RUN_STATUSES,
  JobRunDoc,
  MAIL_DELIVERY_STATES,
  MailDoc,
  OrgLimitsDoc,
  RateLimitDoc,
} from "./bookkeeping.js";
export { CheckoutSessionDoc } from "./checkout-session.js";
export { FileDoc } from "./file.js";
export { INVITE_STATUSES, InviteDoc, InviteStatus } from "./invite.js";
export { ALLOWED_FILE_CONTENT_TYPES, LIMITS } from "./limits.js";
export { MemberDoc } from "./member.js";
export { OrgDoc, OrgDocAnyVersion, OrgDocV1, OrgName, OrgSettings, OrgUpdate } from "./org.js";
export { fileObjectPath, paths } from "./paths.js";
export { PrivateBillingDoc } from "./private-billing.js";
export {
  PROJECT_STATUSES,
  ProjectDescription,
  ProjectDoc,
  ProjectInput,
  ProjectName,
  ProjectStatus,
  ProjectUpdate,
} from "./project.js";
export { STRIPE_EVENT_STATUSES, StripeEventDoc, StripeEventStatus } from "./stripe-event.js";
export {
  jsPattern,
  longText,
  NAME_FORBIDDEN,
  NAME_PATTERN,
  nameText,
  PHOTO_URL_PATTERN,
  SETTING_KEY_PATTERN,
  SETTING_KEYS_PATTERN,
  SettingKey,
  TEXT_PATTERN,
} from "./text.js";
export { FirestoreTimestamp } from "./timestamp.js";
export {
  StorageUsageDoc,
  UsageDoc,
  UsagePeriodId,
  UsageShardAnyVersion,
  UsageShardV1,
  UsageUserDoc,
} from "./usage.js";
export { DisplayName, PhotoUrl, UserDoc, UserProfileUpdate } from "./user.js";
