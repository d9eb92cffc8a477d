import { z } from "zod";
import { PlanId } from "../entitlements.js";
import { DocId as OrgId } from "./orgs.js";

/** Plans a checkout can buy: every plan but free, which needs no Stripe objects. */
export const PaidPlanId = PlanId.exclude(["free"]);
export type PaidPlanId = z.infer<typeof PaidPlanId>;

export const CreateCheckoutSessionInput = z.strictObject({ orgId: OrgId, planId: PaidPlanId });
export type CreateCheckoutSessionInput = z.infer<typeof CreateCheckoutSessionInput>;
export const CreateCheckoutSessionOutput = z.object({ url: z.url(), sessionId: z.string() });
export type CreateCheckoutSessionOutput = z.infer<typeof CreateCheckoutSessionOutput>;

export const CreatePortalSessionInput = z.strictObject({ orgId: OrgId });
export type CreatePortalSessionInput = z.infer<typeof CreatePortalSessionInput>;
export const CreatePortalSessionOutput = z.object({ url: z.url() });
export type CreatePortalSessionOutput = z.infer<typeof CreatePortalSessionOutput>;
