import { z } from "zod";

/** Org roles, strongest first. An org always has exactly one owner. */
export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Roles an invitation may grant: ownership only moves through transferOwnership. */
export const InvitableRole = z.enum(["admin", "member", "viewer"]);
export type InvitableRole = z.infer<typeof InvitableRole>;

const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

/** True when `role` is at least as strong as `min`. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}
