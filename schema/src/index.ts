/**
 * @module
 * Hearth's document and API shapes as zod schemas and TypeScript types.
 * Each feature keeps its own block below; add exports by name, within your block.
 */

// roles and plans
export { BILLING_STATUSES, BillingStatus, Cap, Entitlements, PLAN_IDS, PlanId } from "./entitlements.js";
export { InvitableRole, ROLES, Role, roleAtLeast } from "./roles.js";

// documents (data model)

// api: orgs and accounts

// api: billing
export {
  CreateCheckoutSessionInput,
  CreateCheckoutSessionOutput,
  CreatePortalSessionInput,
  CreatePortalSessionOutput,
  PaidPlanId,
} from "./api/billing.js";

// api: usage and ai
