/** The org and file an object path names, for objects under `orgs/{orgId}/files/{fileId}`; else null. */
export function parseFileObjectPath(name: string): { orgId: string; fileId: string } | null {
  const match = /^orgs\/([^/]+)\/files\/([^/]+)$/.exec(name);
  return match ? { orgId: match[1]!, fileId: match[2]! } : null;
}
