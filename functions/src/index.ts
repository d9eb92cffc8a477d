// biome-ignore-all assist/source/organizeImports: exports are grouped by feature, sorted within each group
/**
 * @module
 * The functions `firebase deploy` ships. Wiring only: each export name is a deployed function id, so
 * renaming one deletes a function and creates another.
 */

// Organizations and accounts: callables, auth triggers, membership and project triggers.
export { deleteMyAccount } from "./accounts/delete-my-account.js";
export { exportMyData } from "./accounts/export-my-data.js";
export { onUserCreated } from "./accounts/on-user-created.js";
export { onUserDeleted } from "./accounts/on-user-deleted.js";
export { scrubDeliveredMail } from "./mail/scrub-delivered-mail.js";
export { acceptInvite } from "./orgs/accept-invite.js";
export { changeMemberRole } from "./orgs/change-member-role.js";
export { createOrg } from "./orgs/create-org.js";
export { deleteOrg } from "./orgs/delete-org.js";
export { inviteMember } from "./orgs/invite-member.js";
export { leaveOrg } from "./orgs/leave-org.js";
export { onMemberWritten } from "./orgs/on-member-written.js";
export { onProjectWritten } from "./orgs/on-project-written.js";
export { removeMember } from "./orgs/remove-member.js";
export { revokeInvite } from "./orgs/revoke-invite.js";
export { transferOwnership } from "./orgs/transfer-ownership.js";

// Billing: checkout, portal, webhook, event processing, seats.
export { onStripeEventCreated } from "./billing/apply-event.js";
export { onOrgDeletedCancelSubscription } from "./billing/cancel-deleted-org.js";
export { createCheckoutSession } from "./billing/create-checkout-session.js";
export { createPortalSession } from "./billing/create-portal-session.js";
export { stripeWebhook } from "./billing/stripe-webhook.js";
export { onMemberWriteSyncSeats } from "./billing/sync-seats.js";

// Usage and AI.
export { aiGenerate } from "./ai/ai-generate.js";

// Files: records of uploads under orgs/{orgId}/files/.
export { onFileDeleted } from "./files/on-object-deleted.js";
export { onFileUploaded } from "./files/on-object-finalized.js";

// Scheduled jobs (each also runs with `npm run job -- <name>` on the local stack).
export { scheduledBackupFirestore } from "./jobs/backup-firestore.js";
export { scheduledCloseUsagePeriod } from "./jobs/close-usage-period.js";
export { scheduledExpireInvites } from "./jobs/expire-invites.js";
export { scheduledFindOrphanedFiles } from "./jobs/find-orphaned-files.js";
export { scheduledPruneAiCache } from "./jobs/prune-ai-cache.js";
export { scheduledPurgeDeletedOrgs } from "./jobs/purge-deleted-orgs.js";
export { scheduledReconcileBilling } from "./jobs/reconcile-billing.js";
export { scheduledSettleReservations } from "./jobs/settle-reservations.js";

// Data lifecycle: migrations too large for one process run as a task, slice by slice.
export { runMigrationsTask as runMigrations } from "./migrations/task.js";

// System.
export { health } from "./system/health.js";
