/**
 * Which schema a document path answers to: the data model of DESIGN.md, with the zod schemas of
 * `schema/`. The first matching pattern wins (`*` is one path segment). Paths the functions write
 * without a schema in `schema/` yet are listed with `schema: null`: counted, not checked. Any other
 * path is outside the data model, and validate-data reports it.
 */
import {
  AiCacheDoc,
  AuditEntryDoc,
  FileDoc,
  InviteDoc,
  JobRunDoc,
  MailDoc,
  MemberDoc,
  OrgDoc,
  PrivateBillingDoc,
  ProjectDoc,
  RateLimitDoc,
  StorageUsageDoc,
  StripeEventDoc,
  UsageDoc,
  UsagePeriodId,
  UsageShard,
  UserDoc,
} from "@hearth/schema";
import type { z } from "zod";
import { MigrationRecord } from "../../functions/src/migrations/migration.js";

export interface PathRule {
  pattern: string;
  schema: z.ZodType | null;
  /** Constraint on the last segment (the document id), when the id carries meaning. */
  id?: z.ZodType;
}

export const PATH_RULES: readonly PathRule[] = [
  { pattern: "users/*", schema: UserDoc },
  { pattern: "orgs/*", schema: OrgDoc },
  { pattern: "orgs/*/members/*", schema: MemberDoc },
  { pattern: "orgs/*/invites/*", schema: InviteDoc },
  { pattern: "orgs/*/projects/*", schema: ProjectDoc },
  { pattern: "orgs/*/usage/storage", schema: StorageUsageDoc },
  { pattern: "orgs/*/usage/*", schema: UsageDoc, id: UsagePeriodId },
  { pattern: "orgs/*/usage/*/shards/*", schema: UsageShard },
  { pattern: "orgs/*/usage/*/users/*", schema: null },
  { pattern: "orgs/*/auditLog/*", schema: AuditEntryDoc },
  { pattern: "orgs/*/files/*", schema: FileDoc },
  { pattern: "orgs/*/private/billing", schema: PrivateBillingDoc },
  { pattern: "orgs/*/private/billing/checkoutSessions/*", schema: null },
  { pattern: "stripeEvents/*", schema: StripeEventDoc },
  { pattern: "aiCache/*", schema: AiCacheDoc },
  { pattern: "aiReservations/*", schema: null },
  { pattern: "rateLimits/*", schema: RateLimitDoc },
  { pattern: "jobRuns/*", schema: JobRunDoc },
  { pattern: "mail/*", schema: MailDoc },
  { pattern: "_migrations/*", schema: MigrationRecord },
];

function matches(pattern: string, path: string): boolean {
  const p = pattern.split("/");
  const s = path.split("/");
  return p.length === s.length && p.every((part, i) => part === "*" || part === s[i]);
}

export function ruleFor(path: string): PathRule | undefined {
  return PATH_RULES.find((rule) => matches(rule.pattern, path));
}
