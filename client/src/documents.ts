import {
  type CollectionReference,
  collection,
  type DocumentData,
  type DocumentReference,
  doc,
  type Firestore,
  type FirestoreDataConverter,
  type PartialWithFieldValue,
  type QueryDocumentSnapshot,
  type SnapshotOptions,
} from "firebase/firestore";
import type { z } from "zod";
import { UsageShard } from "../../schema/src/api/ai.js";
import { AuditEntryDoc } from "../../schema/src/documents/audit-entry.js";
import { FileDoc } from "../../schema/src/documents/file.js";
import { InviteDoc } from "../../schema/src/documents/invite.js";
import { MemberDoc } from "../../schema/src/documents/member.js";
import { OrgDocAnyVersion } from "../../schema/src/documents/org.js";
import { paths } from "../../schema/src/documents/paths.js";
import { ProjectDoc } from "../../schema/src/documents/project.js";
import { StorageUsageDoc, UsageDoc, UsageUserDoc } from "../../schema/src/documents/usage.js";
import { UserDoc } from "../../schema/src/documents/user.js";

/** A document read through a converter did not match its schema; `path` and `issues` say where. */
export class DocumentShapeError extends Error {
  constructor(
    readonly path: string,
    readonly issues: readonly { path: PropertyKey[]; message: string }[],
  ) {
    const where = issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    super(`${path} does not match its schema: ${where}`);
    this.name = "DocumentShapeError";
  }
}

/**
 * A converter that checks each document read against `schema` and throws DocumentShapeError when it does
 * not fit. The data is answered as read, not as parsed, so Timestamps keep their methods (`toDate()`).
 * Pending server timestamps read as estimates instead of null, so a document just written passes too.
 * Writes go through unchanged: Security Rules judge them.
 */
export function validatedConverter<T extends DocumentData>(schema: z.ZodType<T>): FirestoreDataConverter<T> {
  return {
    toFirestore: (value: PartialWithFieldValue<T>) => value as DocumentData,
    fromFirestore(snapshot: QueryDocumentSnapshot, options?: SnapshotOptions): T {
      const data = snapshot.data({ serverTimestamps: "estimate", ...options });
      const parsed = schema.safeParse(data);
      if (!parsed.success) throw new DocumentShapeError(snapshot.ref.path, parsed.error.issues);
      return data as T;
    },
  };
}

/** A converter for every document a client may read (README "Collections"). */
export const converters = {
  user: validatedConverter(UserDoc),
  org: validatedConverter(OrgDocAnyVersion),
  member: validatedConverter(MemberDoc),
  invite: validatedConverter(InviteDoc),
  project: validatedConverter(ProjectDoc),
  usage: validatedConverter(UsageDoc),
  usageShard: validatedConverter(UsageShard),
  usageUser: validatedConverter(UsageUserDoc),
  storageUsage: validatedConverter(StorageUsageDoc),
  auditEntry: validatedConverter(AuditEntryDoc),
  file: validatedConverter(FileDoc),
};

// Return types named here so the declarations import them from firebase/firestore, which a frontend has,
// not from the @firebase/firestore it happens to re-export.
function docRef<T extends DocumentData>(
  db: Firestore,
  path: string,
  converter: FirestoreDataConverter<T>,
): DocumentReference<T> {
  return doc(db, path).withConverter(converter);
}

function collectionRef<T extends DocumentData>(
  db: Firestore,
  path: string,
  converter: FirestoreDataConverter<T>,
): CollectionReference<T> {
  return collection(db, path).withConverter(converter);
}

/** Typed references to what a client may read, built from the one path table (`paths`) and validated. */
export const refs = {
  user: (db: Firestore, uid: string) => docRef(db, paths.user(uid), converters.user),
  org: (db: Firestore, orgId: string) => docRef(db, paths.org(orgId), converters.org),
  members: (db: Firestore, orgId: string) => collectionRef(db, paths.members(orgId), converters.member),
  member: (db: Firestore, orgId: string, uid: string) =>
    docRef(db, paths.member(orgId, uid), converters.member),
  invites: (db: Firestore, orgId: string) => collectionRef(db, paths.invites(orgId), converters.invite),
  projects: (db: Firestore, orgId: string) => collectionRef(db, paths.projects(orgId), converters.project),
  project: (db: Firestore, orgId: string, projectId: string) =>
    docRef(db, paths.project(orgId, projectId), converters.project),
  usage: (db: Firestore, orgId: string, period: string) =>
    docRef(db, paths.usage(orgId, period), converters.usage),
  usageShards: (db: Firestore, orgId: string, period: string) =>
    collectionRef(db, `${paths.usage(orgId, period)}/shards`, converters.usageShard),
  usageUser: (db: Firestore, orgId: string, period: string, uid: string) =>
    docRef(db, `${paths.usage(orgId, period)}/users/${uid}`, converters.usageUser),
  storageUsage: (db: Firestore, orgId: string) =>
    docRef(db, paths.storageUsage(orgId), converters.storageUsage),
  auditLog: (db: Firestore, orgId: string) => collectionRef(db, paths.auditLog(orgId), converters.auditEntry),
  files: (db: Firestore, orgId: string) => collectionRef(db, paths.files(orgId), converters.file),
  file: (db: Firestore, orgId: string, fileId: string) =>
    docRef(db, paths.file(orgId, fileId), converters.file),
};
