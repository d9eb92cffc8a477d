import { OrgDocV1, PlanId } from "@hearth/schema";
import { getPlan } from "../billing/plans.js";
import type { Migration } from "./migration.js";

/**
 * Orgs created before plans had file limits carry entitlements without `files` and `fileMaxBytes`, so
 * the upload quota has nothing to check them against. This fills both from the org's plan; orgs that
 * already have them (new orgs, or a rerun) are left alone.
 */
export const orgFileEntitlements: Migration = {
  id: 1,
  name: "org-file-entitlements",
  description: "orgs/{orgId}.entitlements gains files and fileMaxBytes, from the org's plan",
  collections: ["orgs"],
  step({ path, data }) {
    // The `orgs` collection group is only ever top level in Hearth; skip anything else by shape.
    if (path.split("/").length !== 2) return null;
    const entitlements = data.entitlements as Record<string, unknown> | undefined;
    if (entitlements && "files" in entitlements && "fileMaxBytes" in entitlements) return null;
    // Only a version-1 org is upgraded; any other shape is left for validate-data to report.
    if (!OrgDocV1.safeParse(data).success) return null;
    const plan = getPlan(PlanId.parse(data.plan));
    return {
      "entitlements.files": plan.entitlements.files,
      "entitlements.fileMaxBytes": plan.entitlements.fileMaxBytes,
    };
  },
};
