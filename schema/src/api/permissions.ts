import { type Role, roleAtLeast } from "../roles.js";

/**
 * The role matrix (README "Role matrix") as data: the weakest role allowed each action in one org, for UI
 * gating. firestore.rules, storage.rules and the callables enforce it; hiding a button is only courtesy.
 */
export const PERMISSIONS = {
  /** Read the org, its members, projects, usage and files. */
  read: "viewer",
  createProject: "member",
  uploadFile: "member",
  /** Update or delete a project one created; delete a file one uploaded. */
  editOwn: "member",
  useAi: "member",
  /** Update or delete any project or file. */
  editAny: "admin",
  updateOrg: "admin",
  /** Invite and revoke invitations to member or viewer; remove or re-role members and viewers. */
  manageMembers: "admin",
  readInvites: "admin",
  readAuditLog: "admin",
  manageBilling: "admin",
  /** Invite, make, unmake or remove admins. */
  manageAdmins: "owner",
  transferOwnership: "owner",
  deleteOrg: "owner",
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

/** Whether `role` (none: not a member) may do `action`. */
export function can(role: Role | null | undefined, action: Permission): boolean {
  return role != null && roleAtLeast(role, PERMISSIONS[action]);
}
