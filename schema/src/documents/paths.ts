/**
 * Document paths of the data model, so functions and frontends build them one way. Every tenant-owned
 * path starts with `orgs/{orgId}`: the tenant comes from the path, never from a field.
 */
export const paths = {
  users: () => "users",
  user: (uid: string) => `users/${uid}`,
  orgs: () => "orgs",
  org: (orgId: string) => `orgs/${orgId}`,
  members: (orgId: string) => `orgs/${orgId}/members`,
  member: (orgId: string, uid: string) => `orgs/${orgId}/members/${uid}`,
  invites: (orgId: string) => `orgs/${orgId}/invites`,
  invite: (orgId: string, inviteId: string) => `orgs/${orgId}/invites/${inviteId}`,
  projects: (orgId: string) => `orgs/${orgId}/projects`,
  project: (orgId: string, projectId: string) => `orgs/${orgId}/projects/${projectId}`,
  usage: (orgId: string, period: string) => `orgs/${orgId}/usage/${period}`,
  usageShards: (orgId: string, period: string) => `orgs/${orgId}/usage/${period}/shards`,
  usageShard: (orgId: string, period: string, shard: number) =>
    `orgs/${orgId}/usage/${period}/shards/${shard}`,
  usageUsers: (orgId: string, period: string) => `orgs/${orgId}/usage/${period}/users`,
  usageUser: (orgId: string, period: string, uid: string) => `orgs/${orgId}/usage/${period}/users/${uid}`,
  storageUsage: (orgId: string) => `orgs/${orgId}/usage/storage`,
  auditLog: (orgId: string) => `orgs/${orgId}/auditLog`,
  auditEntry: (orgId: string, entryId: string) => `orgs/${orgId}/auditLog/${entryId}`,
  files: (orgId: string) => `orgs/${orgId}/files`,
  file: (orgId: string, fileId: string) => `orgs/${orgId}/files/${fileId}`,
  privateBilling: (orgId: string) => `orgs/${orgId}/private/billing`,
  checkoutSessions: (orgId: string) => `orgs/${orgId}/private/billing/checkoutSessions`,
  checkoutSession: (orgId: string, slot: string) => `orgs/${orgId}/private/billing/checkoutSessions/${slot}`,
  stripeEvents: () => "stripeEvents",
  stripeEvent: (eventId: string) => `stripeEvents/${eventId}`,
  aiCaches: () => "aiCache",
  aiCache: (hash: string) => `aiCache/${hash}`,
  rateLimit: (key: string) => `rateLimits/${key}`,
  jobRuns: () => "jobRuns",
  jobRun: (id: string) => `jobRuns/${id}`,
  mails: () => "mail",
  mail: (id: string) => `mail/${id}`,
  aiReservations: () => "aiReservations",
  aiReservation: (id: string) => `aiReservations/${id}`,
  freeAiUsages: () => "freeAiUsage",
  /** One account's free-plan AI month: `freeAiUsage/{period}_{uid}`. */
  freeAiUsage: (period: string, uid: string) => `freeAiUsage/${period}_${uid}`,
  accountLimits: (uid: string) => `accountLimits/${uid}`,
  orgLimits: (orgId: string) => `orgLimits/${orgId}`,
  migrations: () => "_migrations",
  migration: (recordId: string) => `_migrations/${recordId}`,
} as const;

/** Object path of an uploaded file in the Storage bucket (the same shape as its Firestore record). */
export function fileObjectPath(orgId: string, fileId: string): string {
  return `orgs/${orgId}/files/${fileId}`;
}
