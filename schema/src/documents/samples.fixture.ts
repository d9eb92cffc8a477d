import type { z } from "zod";
import { AuditEntryDoc } from "./audit-entry.js";
import { AiCacheDoc, JobRunDoc, MailDoc, RateLimitDoc } from "./bookkeeping.js";
import { FileDoc } from "./file.js";
import { InviteDoc } from "./invite.js";
import { MemberDoc } from "./member.js";
import { OrgDoc, OrgUpdate } from "./org.js";
import { PrivateBillingDoc } from "./private-billing.js";
import { ProjectDoc, ProjectInput, ProjectUpdate } from "./project.js";
import { StripeEventDoc } from "./stripe-event.js";
import { StorageUsageDoc, UsageDoc } from "./usage.js";
import { UserDoc, UserProfileUpdate } from "./user.js";

// One valid sample per registered shape, shared by the schema tests and the JSON Schema tests.
const t = (seconds: number) => ({ seconds, nanoseconds: 0 });

export const sampleDocs = {
  User: {
    schema: UserDoc,
    doc: { displayName: "Ann", photoURL: null, email: "ann@example.com", createdAt: t(1) },
  },
  UserProfileUpdate: { schema: UserProfileUpdate, doc: { displayName: "Ann B" } },
  Org: {
    schema: OrgDoc,
    doc: {
      name: "Acme",
      settings: { theme: "dark" },
      ownerUid: "u1",
      plan: "free",
      entitlements: {
        seats: 3,
        projects: 3,
        storageBytes: 1024,
        files: 10,
        fileMaxBytes: 512,
        aiCallsPerMonth: { soft: 80, hard: 100 },
        aiCostMicrosPerMonth: { soft: 1, hard: 2 },
        aiModels: ["gpt-4o-mini"],
        aiCallsPerMinutePerUser: 5,
      },
      billingStatus: "none",
      memberCount: 1,
      pendingInvites: 0,
      createdAt: t(1),
      deletedAt: null,
    },
  },
  OrgUpdate: { schema: OrgUpdate, doc: { name: "Acme 2", settings: {} } },
  Member: {
    schema: MemberDoc,
    doc: {
      uid: "u1",
      role: "admin",
      email: "ann@example.com",
      displayName: null,
      joinedAt: t(1),
      invitedBy: null,
    },
  },
  Invite: {
    schema: InviteDoc,
    doc: {
      email: "bob@example.com",
      role: "member",
      tokenHash: "ab".repeat(32),
      status: "pending",
      expiresAt: t(9),
      invitedBy: "u1",
      createdAt: t(1),
    },
  },
  Project: {
    schema: ProjectDoc,
    doc: { name: "P", description: "", status: "active", createdBy: "u1", createdAt: t(1), updatedAt: t(2) },
  },
  ProjectInput: { schema: ProjectInput, doc: { name: "P", description: "d", status: "archived" } },
  ProjectUpdate: { schema: ProjectUpdate, doc: { status: "archived" } },
  Usage: { schema: UsageDoc, doc: { aiCalls: 3, aiCostMicros: 1200 } },
  StorageUsage: { schema: StorageUsageDoc, doc: { storageBytes: 2048, files: 1 } },
  AuditEntry: {
    schema: AuditEntryDoc,
    doc: {
      actor: "u1",
      action: "member.role_changed",
      target: "members/u2",
      before: null,
      after: { role: "admin" },
      at: t(1),
    },
  },
  File: {
    schema: FileDoc,
    doc: {
      storagePath: "orgs/o1/files/f1",
      size: 10,
      contentType: "image/png",
      uploadedBy: "u1",
      createdAt: t(1),
    },
  },
  PrivateBilling: {
    schema: PrivateBillingDoc,
    doc: {
      stripeCustomerId: "cus_1",
      subscriptionId: null,
      priceId: null,
      status: "none",
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
      seats: 1,
      lastEventAt: null,
    },
  },
  StripeEvent: {
    schema: StripeEventDoc,
    doc: {
      type: "invoice.paid",
      event: { id: "evt_1" },
      status: "pending",
      outcome: null,
      attempts: 0,
      error: null,
      created: t(1),
      receivedAt: t(1),
      processedAt: null,
      expiresAt: t(30),
    },
  },
  AiCache: {
    schema: AiCacheDoc,
    doc: {
      orgId: "o1",
      model: "gpt-4o-mini",
      text: "hi",
      usage: { inputTokens: 1, outputTokens: 2, costMicros: 3 },
      createdAt: t(1),
      expiresAt: t(2),
    },
  },
  RateLimit: { schema: RateLimitDoc, doc: { tokens: 4.5, updatedAt: t(1), expiresAt: t(61) } },
  JobRun: {
    schema: JobRunDoc,
    doc: {
      job: "expireInvites",
      status: "succeeded",
      startedAt: t(1),
      finishedAt: t(2),
      result: { expired: 2 },
      error: null,
      expiresAt: t(30),
    },
  },
  Mail: {
    schema: MailDoc,
    doc: { to: "bob@example.com", message: { subject: "Join Acme", text: "link" }, expiresAt: t(8) },
  },
} satisfies Record<string, { schema: z.ZodType; doc: Record<string, unknown> }>;
