import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  AccountLimitsDoc,
  AiCacheDoc,
  AiReservationDoc,
  AuditEntryDoc,
  FileDoc,
  FreeAiUsageDoc,
  InviteDoc,
  JobRunDoc,
  MailDoc,
  MemberDoc,
  OrgLimitsDoc,
  ProjectDoc,
  RateLimitDoc,
  StripeEventDoc,
  UsageUserDoc,
} from "@hearth/schema";
import { describe, expect, it } from "vitest";
import type { z } from "zod";

// firestore.indexes.json names fields by string; a typo or a renamed field would only show up as a
// failing query in production. Every indexed field must exist in the document's schema.

interface IndexFile {
  indexes: Array<{ collectionGroup: string; queryScope: string; fields: Array<Record<string, string>> }>;
  fieldOverrides: Array<{ collectionGroup: string; fieldPath: string; ttl?: boolean; indexes: unknown[] }>;
}

const file = JSON.parse(
  readFileSync(new URL("../../firestore.indexes.json", import.meta.url), "utf8"),
) as IndexFile;

// firebase-tools ships no types; this is the validator `firebase deploy --only firestore:indexes` runs first.
const { FirestoreApi } = createRequire(import.meta.url)("firebase-tools/lib/firestore/api.js") as {
  FirestoreApi: new () => { validateSpec(spec: unknown): void };
};

const SCHEMAS: Record<string, z.ZodObject> = {
  invites: InviteDoc,
  projects: ProjectDoc,
  auditLog: AuditEntryDoc,
  files: FileDoc,
  members: MemberDoc,
  aiCache: AiCacheDoc,
  rateLimits: RateLimitDoc,
  stripeEvents: StripeEventDoc,
  mail: MailDoc,
  jobRuns: JobRunDoc,
  aiReservations: AiReservationDoc,
  accountLimits: AccountLimitsDoc,
  orgLimits: OrgLimitsDoc,
  freeAiUsage: FreeAiUsageDoc,
  // The collection group also holds the top-level users/{uid} profiles, which have no uid field.
  users: UsageUserDoc,
};

function fieldsOf(collectionGroup: string): string[] {
  const schema = SCHEMAS[collectionGroup];
  if (!schema) throw new Error(`no schema mapped for collection group ${collectionGroup}`);
  return Object.keys(schema.shape);
}

describe("firestore.indexes.json", () => {
  it("composite indexes: two or more known fields, each with an order or array config", () => {
    expect(file.indexes.length).toBeGreaterThan(0);
    for (const index of file.indexes) {
      expect(["COLLECTION", "COLLECTION_GROUP"]).toContain(index.queryScope);
      expect(index.fields.length).toBeGreaterThanOrEqual(2);
      for (const field of index.fields) {
        expect(fieldsOf(index.collectionGroup), `${index.collectionGroup}.${field.fieldPath}`).toContain(
          field.fieldPath,
        );
        expect(["ASCENDING", "DESCENDING", undefined]).toContain(field.order);
        expect(Boolean(field.order) !== Boolean(field.arrayConfig)).toBe(true);
      }
    }
  });

  it("firebase-tools accepts the file as a deployable index spec", () => {
    expect(() => new FirestoreApi().validateSpec(file)).not.toThrow();
  });

  it("no composite index is declared twice", () => {
    const keys = file.indexes.map((i) => JSON.stringify([i.collectionGroup, i.queryScope, i.fields]));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("field overrides name known fields; TTL fields are timestamps of the schema", () => {
    for (const override of file.fieldOverrides) {
      expect(
        fieldsOf(override.collectionGroup),
        `${override.collectionGroup}.${override.fieldPath}`,
      ).toContain(override.fieldPath);
    }
    const ttl = file.fieldOverrides.filter((o) => o.ttl).map((o) => `${o.collectionGroup}.${o.fieldPath}`);
    // Every server bookkeeping collection, and stored Stripe payloads, expire (issue 16, finding 9).
    expect(ttl.sort()).toEqual([
      "accountLimits.expiresAt",
      "aiCache.expiresAt",
      "aiReservations.expiresAt",
      "freeAiUsage.expiresAt",
      "jobRuns.expiresAt",
      "mail.expiresAt",
      "orgLimits.expiresAt",
      "rateLimits.expiresAt",
      "stripeEvents.expiresAt",
    ]);
  });

  it("the expire-invites job's collection-group query has its index", () => {
    const match = file.indexes.find(
      (i) =>
        i.collectionGroup === "invites" &&
        i.queryScope === "COLLECTION_GROUP" &&
        i.fields.map((f) => f.fieldPath).join(",") === "status,expiresAt",
    );
    expect(match).toBeDefined();
  });

  it("deleteMyAccount's collection-group queries have their indexes (accounts/erase.ts)", () => {
    const override = (group: string, field: string) =>
      file.fieldOverrides.find((o) => o.collectionGroup === group && o.fieldPath === field)?.indexes;
    for (const [group, field] of [
      ["users", "uid"],
      ["invites", "email"],
      ["invites", "invitedBy"],
      ["invites", "acceptedBy"],
      ["invites", "revokedBy"],
      ["projects", "createdBy"],
      ["members", "invitedBy"],
      ["auditLog", "actor"],
      ["auditLog", "target"],
    ]) {
      expect(override(group!, field!), `${group}.${field}`).toContainEqual({
        order: "ASCENDING",
        queryScope: "COLLECTION_GROUP",
      });
    }
    expect(override("auditLog", "people")).toContainEqual({
      arrayConfig: "CONTAINS",
      queryScope: "COLLECTION_GROUP",
    });
  });

  it("memberships can be looked up across orgs by uid", () => {
    const uid = file.fieldOverrides.find((o) => o.collectionGroup === "members" && o.fieldPath === "uid");
    expect(uid?.indexes).toContainEqual({ order: "ASCENDING", queryScope: "COLLECTION_GROUP" });
  });
});
