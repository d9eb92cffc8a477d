import type { InvitableRole, Role } from "@hearth/schema";
import { roleAtLeast } from "@hearth/schema";

/**
 * Pure decisions of the org lifecycle: who may do what to whom (DESIGN.md role matrix). Each returns
 * `null` when allowed, or the reason it is refused; callables turn a reason into an AppError.
 * Invariants kept here: exactly one owner (ownership only moves by transfer), an admin never touches an
 * owner or another admin, nobody changes their own role.
 */
export type Refusal =
  | "role"
  | "self"
  | "target-owner"
  | "target-admin"
  | "grant-admin"
  | "owner-cannot-leave"
  | "not-owner";

/** May `actor` invite someone (or revoke an invitation) with role `role`? Only the owner grants admin. */
export function inviteRefusal(actor: Role, role: InvitableRole): Refusal | null {
  if (!roleAtLeast(actor, "admin")) return "role";
  if (role === "admin" && actor !== "owner") return "grant-admin";
  return null;
}

/** May `actor` give member `target` (currently `current`) the role `next`? */
export function changeRoleRefusal(
  actor: { uid: string; role: Role },
  target: { uid: string; role: Role },
  next: InvitableRole,
): Refusal | null {
  if (!roleAtLeast(actor.role, "admin")) return "role";
  if (actor.uid === target.uid) return "self";
  if (target.role === "owner") return "target-owner";
  if (actor.role !== "owner") {
    if (target.role === "admin") return "target-admin";
    if (next === "admin") return "grant-admin";
  }
  return null;
}

/** May `actor` remove member `target`? The owner is never removed: ownership is transferred first. */
export function removeRefusal(actor: { uid: string; role: Role }, target: { uid: string; role: Role }) {
  if (!roleAtLeast(actor.role, "admin")) return "role";
  if (actor.uid === target.uid) return "self";
  if (target.role === "owner") return "target-owner";
  if (target.role === "admin" && actor.role !== "owner") return "target-admin";
  return null;
}

/** May a member with `role` leave? The owner may not, or the org would have no owner. */
export function leaveRefusal(role: Role): Refusal | null {
  return role === "owner" ? "owner-cannot-leave" : null;
}

/** May `actor` hand ownership to `target`? Only the owner, and only to someone else. */
export function transferRefusal(actor: { uid: string; role: Role }, targetUid: string): Refusal | null {
  if (actor.role !== "owner") return "not-owner";
  if (actor.uid === targetUid) return "self";
  return null;
}

/** May `actor` delete the org? Owner only. */
export function deleteOrgRefusal(actor: Role): Refusal | null {
  return actor === "owner" ? null : "not-owner";
}

/**
 * Who inherits an org whose owner's account is deleted: the longest-standing admin, else the
 * longest-standing member of any role; `null` when nobody is left (the org is then deleted).
 */
export function successor<M extends { uid: string; role: Role; joinedAtMillis: number }>(
  remaining: readonly M[],
): M | null {
  const rank = (m: M) => (m.role === "admin" ? 0 : m.role === "member" ? 1 : 2);
  const sorted = [...remaining]
    .filter((m) => m.role !== "owner")
    .sort((a, b) => rank(a) - rank(b) || a.joinedAtMillis - b.joinedAtMillis || a.uid.localeCompare(b.uid));
  return sorted[0] ?? null;
}
