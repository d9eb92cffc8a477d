import {
  AccountLimitsDoc,
  AiCacheDoc,
  AiReservationDoc,
  AuditEntryDoc,
  CheckoutSessionDoc,
  FileDoc,
  FreeAiUsageDoc,
  InviteDoc,
  JobRunDoc,
  MailDoc,
  MemberDoc,
  OrgDoc,
  OrgDocV1,
  OrgLimitsDoc,
  PrivateBillingDoc,
  ProjectDoc,
  paths,
  RateLimitDoc,
  StorageUsageDoc,
  StripeEventDoc,
  UsageDoc,
  UsageShard,
  UsageShardAnyVersion,
  UsageUserDoc,
  UserDoc,
} from "@hearth/schema";
import type {
  CollectionGroup,
  CollectionReference,
  DocumentData,
  DocumentReference,
  Firestore,
  FirestoreDataConverter,
} from "firebase-admin/firestore";
import { z } from "zod";
import { MigrationRecord } from "../migrations/migration.js";
import { schemaConverter } from "./converter.js";

/**
 * The one way functions reach Firestore documents: typed, validated references built from the data
 * model's `paths`. Singular names are documents, plural names collections; `groups` are collection-group
 * queries. A document read that does not fit its schema throws DocumentShapeError from `.data()`; jobs
 * and triggers read through read.ts, which logs and skips it instead.
 */

/**
 * Stored documents may predate checks added later (names with control or bidirectional characters, from
 * before the rules refused them), so readers accept any non-empty name; code that shows a name cleans it
 * (orgs/invite-mail.ts). Writes are checked against the current schemas.
 */
const storedName = z.string().min(1);
const OrgDocStored = z.union([OrgDoc.extend({ name: storedName }), OrgDocV1.extend({ name: storedName })]);
/** A profile as stored: possibly an old name, and possibly not yet completed by onUserCreated. */
const UserDocStored = UserDoc.extend({ displayName: storedName.nullable() }).partial();

/** One converter per collection, named by its path pattern (what a refused write reports). */
export const converters = {
  user: schemaConverter("users/{uid}", UserDoc),
  profile: schemaConverter("users/{uid}", UserDocStored, UserDoc.partial()),
  // Readers accept every version migrations may not have reached yet; writes are always the current one.
  org: schemaConverter("orgs/{orgId}", OrgDocStored, OrgDoc),
  member: schemaConverter("orgs/{orgId}/members/{uid}", MemberDoc),
  invite: schemaConverter("orgs/{orgId}/invites/{inviteId}", InviteDoc),
  project: schemaConverter("orgs/{orgId}/projects/{projectId}", ProjectDoc),
  // What an audit entry keeps of a project: server writes (Admin SDK) may hold any subset of fields.
  projectSummary: schemaConverter(
    "orgs/{orgId}/projects/{projectId}",
    ProjectDoc.pick({ name: true, status: true }).partial(),
  ),
  usage: schemaConverter("orgs/{orgId}/usage/{period}", UsageDoc),
  // Shards written before the rebalance fix may lack counters; migration 0002 fills them.
  usageShard: schemaConverter("orgs/{orgId}/usage/{period}/shards/{n}", UsageShardAnyVersion, UsageShard),
  usageUser: schemaConverter("orgs/{orgId}/usage/{period}/users/{uid}", UsageUserDoc),
  storageUsage: schemaConverter("orgs/{orgId}/usage/storage", StorageUsageDoc),
  auditEntry: schemaConverter("orgs/{orgId}/auditLog/{id}", AuditEntryDoc),
  file: schemaConverter("orgs/{orgId}/files/{fileId}", FileDoc),
  privateBilling: schemaConverter("orgs/{orgId}/private/billing", PrivateBillingDoc),
  checkoutSession: schemaConverter(
    "orgs/{orgId}/private/billing/checkoutSessions/{slot}",
    CheckoutSessionDoc,
  ),
  stripeEvent: schemaConverter("stripeEvents/{eventId}", StripeEventDoc),
  aiCache: schemaConverter("aiCache/{hash}", AiCacheDoc),
  rateLimit: schemaConverter("rateLimits/{key}", RateLimitDoc),
  jobRun: schemaConverter("jobRuns/{id}", JobRunDoc),
  mail: schemaConverter("mail/{id}", MailDoc),
  aiReservation: schemaConverter("aiReservations/{id}", AiReservationDoc),
  freeAiUsage: schemaConverter("freeAiUsage/{period}_{uid}", FreeAiUsageDoc),
  accountLimits: schemaConverter("accountLimits/{uid}", AccountLimitsDoc),
  orgLimits: schemaConverter("orgLimits/{orgId}", OrgLimitsDoc),
  migration: schemaConverter("_migrations/{id}", MigrationRecord),
};

/** The stored shape of each document kind, by converter name: `Doc<"member">`. */
export type Doc<K extends keyof typeof converters> =
  (typeof converters)[K] extends FirestoreDataConverter<infer T, DocumentData> ? T : never;

function docRef<T extends DocumentData>(
  db: Firestore,
  path: string,
  converter: FirestoreDataConverter<T, T>,
): DocumentReference<T, T> {
  return db.doc(path).withConverter(converter);
}

function collectionRef<T extends DocumentData>(
  db: Firestore,
  path: string,
  converter: FirestoreDataConverter<T, T>,
): CollectionReference<T, T> {
  return db.collection(path).withConverter(converter);
}

/** A collection group's id is the last segment of its collections' path. */
function groupOf<T extends DocumentData>(
  db: Firestore,
  collectionPath: string,
  converter: FirestoreDataConverter<T, T>,
): CollectionGroup<T, T> {
  return db
    .collectionGroup(collectionPath.slice(collectionPath.lastIndexOf("/") + 1))
    .withConverter(converter);
}

const c = converters;

/** Typed document and collection references. */
export const refs = {
  users: (db: Firestore) => collectionRef(db, paths.users(), c.user),
  user: (db: Firestore, uid: string) => docRef(db, paths.user(uid), c.user),
  /** The same document, for readers that may meet it before onUserCreated completed it. */
  profile: (db: Firestore, uid: string) => docRef(db, paths.user(uid), c.profile),
  orgs: (db: Firestore) => collectionRef(db, paths.orgs(), c.org),
  org: (db: Firestore, orgId: string) => docRef(db, paths.org(orgId), c.org),
  members: (db: Firestore, orgId: string) => collectionRef(db, paths.members(orgId), c.member),
  member: (db: Firestore, orgId: string, uid: string) => docRef(db, paths.member(orgId, uid), c.member),
  invites: (db: Firestore, orgId: string) => collectionRef(db, paths.invites(orgId), c.invite),
  invite: (db: Firestore, orgId: string, inviteId: string) =>
    docRef(db, paths.invite(orgId, inviteId), c.invite),
  projects: (db: Firestore, orgId: string) => collectionRef(db, paths.projects(orgId), c.project),
  project: (db: Firestore, orgId: string, projectId: string) =>
    docRef(db, paths.project(orgId, projectId), c.project),
  usage: (db: Firestore, orgId: string, period: string) => docRef(db, paths.usage(orgId, period), c.usage),
  usageShards: (db: Firestore, orgId: string, period: string) =>
    collectionRef(db, paths.usageShards(orgId, period), c.usageShard),
  usageShard: (db: Firestore, orgId: string, period: string, shard: number) =>
    docRef(db, paths.usageShard(orgId, period, shard), c.usageShard),
  usageUsers: (db: Firestore, orgId: string, period: string) =>
    collectionRef(db, paths.usageUsers(orgId, period), c.usageUser),
  usageUser: (db: Firestore, orgId: string, period: string, uid: string) =>
    docRef(db, paths.usageUser(orgId, period, uid), c.usageUser),
  storageUsage: (db: Firestore, orgId: string) => docRef(db, paths.storageUsage(orgId), c.storageUsage),
  auditLog: (db: Firestore, orgId: string) => collectionRef(db, paths.auditLog(orgId), c.auditEntry),
  auditEntry: (db: Firestore, orgId: string, entryId: string) =>
    docRef(db, paths.auditEntry(orgId, entryId), c.auditEntry),
  files: (db: Firestore, orgId: string) => collectionRef(db, paths.files(orgId), c.file),
  file: (db: Firestore, orgId: string, fileId: string) => docRef(db, paths.file(orgId, fileId), c.file),
  privateBilling: (db: Firestore, orgId: string) => docRef(db, paths.privateBilling(orgId), c.privateBilling),
  checkoutSession: (db: Firestore, orgId: string, slot: string) =>
    docRef(db, paths.checkoutSession(orgId, slot), c.checkoutSession),
  stripeEvents: (db: Firestore) => collectionRef(db, paths.stripeEvents(), c.stripeEvent),
  stripeEvent: (db: Firestore, eventId: string) => docRef(db, paths.stripeEvent(eventId), c.stripeEvent),
  aiCaches: (db: Firestore) => collectionRef(db, paths.aiCaches(), c.aiCache),
  aiCache: (db: Firestore, hash: string) => docRef(db, paths.aiCache(hash), c.aiCache),
  rateLimit: (db: Firestore, key: string) => docRef(db, paths.rateLimit(key), c.rateLimit),
  jobRuns: (db: Firestore) => collectionRef(db, paths.jobRuns(), c.jobRun),
  jobRun: (db: Firestore, id: string) => docRef(db, paths.jobRun(id), c.jobRun),
  mails: (db: Firestore) => collectionRef(db, paths.mails(), c.mail),
  mail: (db: Firestore, id: string) => docRef(db, paths.mail(id), c.mail),
  aiReservations: (db: Firestore) => collectionRef(db, paths.aiReservations(), c.aiReservation),
  aiReservation: (db: Firestore, id: string) => docRef(db, paths.aiReservation(id), c.aiReservation),
  freeAiUsages: (db: Firestore) => collectionRef(db, paths.freeAiUsages(), c.freeAiUsage),
  freeAiUsage: (db: Firestore, period: string, uid: string) =>
    docRef(db, paths.freeAiUsage(period, uid), c.freeAiUsage),
  accountLimits: (db: Firestore, uid: string) => docRef(db, paths.accountLimits(uid), c.accountLimits),
  orgLimits: (db: Firestore, orgId: string) => docRef(db, paths.orgLimits(orgId), c.orgLimits),
  migrations: (db: Firestore) => collectionRef(db, paths.migrations(), c.migration),
  migration: (db: Firestore, recordId: string) => docRef(db, paths.migration(recordId), c.migration),
};

/**
 * Typed collection-group queries. `usageUsers` is the `users` group: it also holds the `users/{uid}`
 * profiles, so query it on a field only usage documents have (`uid`).
 */
export const groups = {
  members: (db: Firestore) => groupOf(db, paths.members("-"), c.member),
  invites: (db: Firestore) => groupOf(db, paths.invites("-"), c.invite),
  projects: (db: Firestore) => groupOf(db, paths.projects("-"), c.project),
  auditLog: (db: Firestore) => groupOf(db, paths.auditLog("-"), c.auditEntry),
  files: (db: Firestore) => groupOf(db, paths.files("-"), c.file),
  usageUsers: (db: Firestore) => groupOf(db, paths.usageUsers("-", "-"), c.usageUser),
  /**
   * Every document of the group `collectionId`, untyped: a migration reads each version of a document,
   * older ones included, so no one schema judges them; its step checks what it changes.
   */
  anyVersion: (db: Firestore, collectionId: string) => db.collectionGroup(collectionId),
};
