/**
 * @module
 * Hearth's document and API shapes as zod schemas and TypeScript types.
 * Each feature keeps its own block below; add exports by name.
 */

export { InvitableRole, ROLES, Role, roleAtLeast } from "./roles.js";
