import { createHash } from "node:crypto";
import {
  type DocumentData,
  type DocumentReference,
  FieldValue,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
  type UpdateData,
} from "firebase-admin/firestore";
import { getAllTyped } from "../db/read.js";
import { type Doc, groups, refs } from "../db/refs.js";
import { type AuditEntry, peopleIn } from "../lib/audit.js";
import { decremented } from "../orgs/counters.js";

/**
 * A deleted account's stable pseudonym: the same for every record, so an org's history still reads as
 * "one (deleted) person did these things", but it is not the uid and cannot be looked up anywhere.
 */
export function pseudonymOf(uid: string): string {
  const digest = createHash("sha256").update(`hearth-deleted-account\u0000${uid}`).digest("base64url");
  return `deleted-${digest.slice(0, 20)}`;
}

/** An erased email address where a record needs one (invites): a reserved, undeliverable domain. */
export function erasedEmail(pseudonym: string): string {
  return `${pseudonym.toLowerCase()}@deleted.invalid`;
}

/** Counts of what eraseAccountTraces changed, for the log. */
export interface ErasedTraces {
  auditEntries: number;
  invites: number;
  mail: number;
  projects: number;
  orgs: number;
  members: number;
  usage: number;
  reservations: number;
  /** freeAiUsage months deleted (accountLimits/{uid} goes too). */
  bookkeeping: number;
}

const PAGE = 300;

/**
 * Removes a deleted account's uid and email addresses from everything it left behind, after its
 * memberships and profile are gone (remove-user.ts): audit entries, invites, projects, soft-deleted orgs,
 * other members' `invitedBy` and AI usage are pseudonymized (they are the orgs' records and stay useful);
 * emails sent by or to it, its limits and its free-allowance months are deleted. Every step finds its
 * documents by query, so running it again finds nothing left to change. Reads are strict: a document that
 * fits no schema stops the erasure with its path and field (and a retry) instead of keeping a trace.
 */
export async function eraseAccountTraces(
  db: Firestore,
  uid: string,
  emails: readonly string[],
): Promise<ErasedTraces> {
  const pseudonym = pseudonymOf(uid);
  const addresses = [...new Set(emails.map((e) => e.toLowerCase()))];
  const scrub = scrubber(uid, pseudonym, addresses);
  const done: ErasedTraces = {
    auditEntries: 0,
    invites: 0,
    mail: 0,
    projects: 0,
    orgs: 0,
    members: 0,
    usage: 0,
    reservations: 0,
    bookkeeping: 0,
  };

  // Entries name people in `people`; entries written before that field existed are found by actor and target.
  const auditQueries = [
    groups.auditLog(db).where("people", "array-contains-any", [uid, ...addresses].slice(0, 30)),
    groups.auditLog(db).where("actor", "==", uid),
    groups.auditLog(db).where("target", "==", `members/${uid}`),
  ];
  const seen = new Set<string>();
  for (const query of auditQueries) {
    for (const doc of await all(query)) {
      if (seen.has(doc.ref.path)) continue;
      seen.add(doc.ref.path);
      const data = doc.data();
      const entry = scrub({
        actor: data.actor,
        action: data.action,
        target: data.target,
        before: data.before,
        after: data.after,
      }) as AuditEntry;
      await doc.ref.update({ ...entry, people: peopleIn(entry) });
      done.auditEntries++;
    }
  }

  const inviteQueries = [
    ...addresses.map((email) => groups.invites(db).where("email", "==", email)),
    ...INVITE_PEOPLE.map((field) => groups.invites(db).where(field, "==", uid)),
  ];
  for (const query of inviteQueries) {
    for (const doc of await all(query)) {
      if (await eraseFromInvite(db, doc.ref, uid, pseudonym, addresses)) done.invites++;
    }
  }

  const mailQueries = [
    ...addresses.map((email) => refs.mails(db).where("to", "==", email)),
    refs.mails(db).where("sentBy", "==", uid),
  ];
  for (const query of mailQueries) done.mail += await deleteAll(db, await all(query));

  done.projects += await setAll(db, await all(groups.projects(db).where("createdBy", "==", uid)), {
    createdBy: pseudonym,
  });
  done.orgs += await setAll(db, await all(refs.orgs(db).where("ownerUid", "==", uid)), {
    ownerUid: pseudonym,
  });
  done.members += await setAll(db, await all(groups.members(db).where("invitedBy", "==", uid)), {
    invitedBy: pseudonym,
  });

  // Per-user AI counters: moved to the pseudonym's document, so the org's per-member figures still add up.
  for (const doc of await all(groups.usageUsers(db).where("uid", "==", uid))) {
    const moved = doc.ref.parent.doc(pseudonym);
    await db.runTransaction(async (tx) => {
      const current = (await tx.get(doc.ref)).data();
      if (!current) return;
      const add = (key: "calls" | "inputTokens" | "outputTokens" | "costMicros") =>
        FieldValue.increment(current[key]);
      tx.set(
        moved,
        {
          uid: pseudonym,
          calls: add("calls"),
          inputTokens: add("inputTokens"),
          outputTokens: add("outputTokens"),
          costMicros: add("costMicros"),
          updatedAt: FieldValue.serverTimestamp(),
        },
        { merge: true },
      );
      tx.delete(doc.ref);
    });
    done.usage++;
  }

  done.reservations += await setAll(db, await all(refs.aiReservations(db).where("uid", "==", uid)), {
    uid: pseudonym,
  });
  done.reservations += await setAll(db, await all(refs.aiReservations(db).where("account", "==", uid)), {
    account: pseudonym,
  });
  done.bookkeeping += await deleteAll(db, await all(refs.freeAiUsages(db).where("owner", "==", uid)));
  await refs.accountLimits(db, uid).delete();
  return done;
}

/**
 * Replaces the uid (as a whole value, or as the id in a `members/<uid>` target) by the pseudonym, and the
 * email addresses by null; list items that become null are dropped. Substrings are left alone: a short uid
 * could occur inside unrelated text.
 */
function scrubber(uid: string, pseudonym: string, addresses: readonly string[]) {
  const scrub = (value: unknown): unknown => {
    if (typeof value === "string") {
      if (addresses.includes(value.toLowerCase())) return null;
      if (value === uid) return pseudonym;
      return value === `members/${uid}` ? `members/${pseudonym}` : value;
    }
    if (Array.isArray(value)) return value.map(scrub).filter((v) => v !== null);
    if (value && typeof value === "object" && value.constructor === Object) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
    }
    return value;
  };
  return scrub;
}

/**
 * One invite: the deleted person's email becomes an undeliverable placeholder (a pending invite to them is
 * revoked, freeing its seat), and their uid in invitedBy/acceptedBy/revokedBy becomes the pseudonym.
 */
/** The fields of an invite that hold a uid. */
const INVITE_PEOPLE = ["invitedBy", "acceptedBy", "revokedBy"] as const;

async function eraseFromInvite(
  db: Firestore,
  ref: DocumentReference<Doc<"invite">>,
  uid: string,
  pseudonym: string,
  addresses: readonly string[],
): Promise<boolean> {
  return db.runTransaction(async (tx) => {
    const orgRef = refs.org(db, ref.parent.parent!.id);
    const [inviteSnap, orgSnap] = await getAllTyped(tx, ref, orgRef);
    const [invite, org] = [inviteSnap.data(), orgSnap.data()];
    if (!invite) return false;
    const changes: UpdateData<Doc<"invite">> = {};
    if (addresses.includes(invite.email)) {
      changes.email = erasedEmail(pseudonym);
      if (invite.status === "pending") {
        changes.status = "revoked";
        changes.revokedBy = "system";
        changes.revokedAt = FieldValue.serverTimestamp();
        if (org) tx.update(orgRef, { pendingInvites: decremented(org, "pendingInvites") });
      }
    }
    for (const field of INVITE_PEOPLE) {
      if (invite[field] === uid) changes[field] = pseudonym;
    }
    if (Object.keys(changes).length === 0) return false;
    tx.update(ref, changes);
    return true;
  });
}

async function all<T>(query: Query<T>): Promise<QueryDocumentSnapshot<T>[]> {
  const docs: QueryDocumentSnapshot<T>[] = [];
  for (
    let page = await query.limit(PAGE).get();
    ;
    page = await query.startAfter(page.docs.at(-1)!).limit(PAGE).get()
  ) {
    docs.push(...page.docs);
    if (page.size < PAGE) return docs;
  }
}

async function setAll<T extends DocumentData>(
  db: Firestore,
  docs: readonly { ref: DocumentReference<T> }[],
  fields: UpdateData<T>,
): Promise<number> {
  for (let i = 0; i < docs.length; i += PAGE) {
    const batch = db.batch();
    for (const doc of docs.slice(i, i + PAGE)) batch.update(doc.ref, fields);
    await batch.commit();
  }
  return docs.length;
}

async function deleteAll<T>(db: Firestore, docs: readonly { ref: DocumentReference<T> }[]): Promise<number> {
  for (let i = 0; i < docs.length; i += PAGE) {
    const batch = db.batch();
    for (const doc of docs.slice(i, i + PAGE)) batch.delete(doc.ref);
    await batch.commit();
  }
  return docs.length;
}
