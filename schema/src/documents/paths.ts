/**
 * Document paths of the data model, so functions and frontends build them one way. Every tenant-owned
 * path starts with `orgs/{orgId}`: the tenant comes from the path, never from a field.
 */
export const paths = {
  user: (uid: string) => `users/${uid}`,
  org: (orgId: string) => `orgs/${orgId}`,
  members: (orgId: string) => `orgs/${orgId}/members`,
  member: (orgId: string, uid: string) => `orgs/${orgId}/members/${uid}`,
  invites: (orgId: string) => `orgs/${orgId}/invites`,
  invite: (orgId: string, inviteId: string) => `orgs/${orgId}/invites/${inviteId}`,
  projects: (orgId: string) => `orgs/${orgId}/projects`,
  project: (orgId: string, projectId: string) => `orgs/${orgId}/projects/${projectId}`,
  usage: (orgId: string, period: string) => `orgs/${orgId}/usage/${period}`,
  storageUsage: (orgId: string) => `orgs/${orgId}/usage/storage`,
  auditLog: (orgId: string) => `orgs/${orgId}/auditLog`,
  files: (orgId: string) => `orgs/${orgId}/files`,
  file: (orgId: string, fileId: string) => `orgs/${orgId}/files/${fileId}`,
  privateBilling: (orgId: string) => `orgs/${orgId}/private/billing`,
  stripeEvent: (eventId: string) => `stripeEvents/${eventId}`,
  aiCache: (hash: string) => `aiCache/${hash}`,
  rateLimit: (key: string) => `rateLimits/${key}`,
  jobRun: (id: string) => `jobRuns/${id}`,
  mail: (id: string) => `mail/${id}`,
} as const;

/** Object path of an uploaded file in the Storage bucket (the same shape as its Firestore record). */
export function fileObjectPath(orgId: string, fileId: string): string {
  return `orgs/${orgId}/files/${fileId}`;
}
