import type { DocumentData, UpdateData } from "firebase-admin/firestore";
import { z } from "zod";

/** One document as a migration step sees it: its full path (`orgs/o1/members/u1`) and its data. */
export interface MigrationInput {
  path: string;
  data: DocumentData;
}

/**
 * A numbered data migration. `step` is called once per document of each collection group in
 * `collections` and must be idempotent: it returns the fields to update, or null when the document is
 * already in the new shape (or is not one this migration changes), so a rerun or a resume changes nothing.
 */
export interface Migration {
  /** 1, 2, 3…: the order migrations run in; ids have no gaps. */
  id: number;
  /** Short kebab-case name, also the file name after the number. */
  name: string;
  /** What changes and why, printed by the runner and kept in `_migrations/{id}`. */
  description: string;
  /** Collection group ids the step reads (`orgs`, `members`…), in the order they are processed. */
  collections: readonly string[];
  step(doc: MigrationInput): UpdateData<DocumentData> | null;
}

/** Id of a migration's progress document, `_migrations/0001`: zero-padded so ids sort in order. */
export function recordId(id: number): string {
  return String(id).padStart(4, "0");
}

export const MIGRATION_STATUSES = ["running", "done"] as const;

const Timestamp = z.object({ seconds: z.number().int(), nanoseconds: z.number().int() });

/**
 * `_migrations/{0001…}`: the runner's progress for one migration, server only. `cursor` is the last
 * document path whose batch committed, within `collections[collectionIndex]`; a runner that crashed
 * resumes after it. `leaseUntil` keeps two runners from working on the same migration at once.
 */
export const MigrationRecord = z.object({
  id: z.number().int().positive(),
  name: z.string().min(1),
  description: z.string(),
  collections: z.array(z.string().min(1)),
  status: z.enum(MIGRATION_STATUSES),
  collectionIndex: z.number().int().nonnegative(),
  cursor: z.string().nullable(),
  scanned: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  startedAt: Timestamp,
  updatedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  leaseOwner: z.string().nullable(),
  leaseUntil: Timestamp.nullable(),
});
export type MigrationRecord = z.infer<typeof MigrationRecord>;
