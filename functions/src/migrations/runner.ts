import { randomUUID } from "node:crypto";
import {
  type DocumentData,
  type DocumentReference,
  FieldPath,
  type Firestore,
  type QueryDocumentSnapshot,
  Timestamp,
  type UpdateData,
} from "firebase-admin/firestore";
import { DocumentShapeError } from "../db/converter.js";
import { type Doc, groups, refs } from "../db/refs.js";
import { type Migration, recordId } from "./migration.js";
import { MIGRATIONS } from "./registry.js";

/** Firestore's limits for one commit: 500 writes and 10 MiB; the runner stays under both. */
export const MAX_BATCH_WRITES = 500;
const MAX_BATCH_BYTES = 9 * 1024 * 1024;
/** Times a page is re-read after a document changed under the runner before the run gives up. */
const MAX_CONFLICT_RETRIES = 5;

export type MigrationRefusal =
  | "registry"
  | "unknown-applied"
  | "out-of-order"
  | "target-unknown"
  | "target-behind"
  | "leased"
  | "conflict";

/** Why the runner refused to start or stopped; nothing past the last committed batch was written. */
export class MigrationError extends Error {
  constructor(
    readonly reason: MigrationRefusal,
    message: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export interface MigrationProgress {
  id: number;
  name: string;
  collection: string;
  scanned: number;
  changed: number;
  dryRun: boolean;
}

export interface RunOptions {
  db: Firestore;
  migrations?: readonly Migration[];
  /** Run up to and including this id; defaults to the newest. */
  to?: number;
  /** Read and report what would change; write nothing, not even progress. */
  dryRun?: boolean;
  /** Documents read per query page. */
  pageSize?: number;
  /** Stop (resumably) after about this many documents; a deployed task runs in slices. */
  maxDocuments?: number;
  /** Identifies this runner in the lease; one per process or task chain. */
  owner?: string;
  /** How long a lease lasts without progress before another runner may take over (a crash). */
  leaseMs?: number;
  now?: () => Date;
  onProgress?: (progress: MigrationProgress) => void;
  /** Upper bound on the writes per batch, for tests; never above Firestore's 500. */
  batchWrites?: number;
}

export interface MigrationOutcome {
  id: number;
  name: string;
  description: string;
  scanned: number;
  changed: number;
  /** `done`: finished in this run; `partial`: stopped at the document budget, resumable. */
  status: "done" | "partial";
  /** Dry run only: the first changes it would make. */
  examples: Array<{ path: string; update: UpdateData<DocumentData> }>;
}

export interface RunReport {
  /** Highest migration id done before this run. */
  from: number;
  /** Highest id this run aimed for. */
  to: number;
  migrations: MigrationOutcome[];
  /** False when the document budget ran out first; run again to resume. */
  finished: boolean;
}

const EXAMPLES = 20;

/** Ids must be 1, 2, 3… with no gap or repeat, so "done up to n" means every migration up to n ran. */
export function checkRegistry(migrations: readonly Migration[]): void {
  migrations.forEach((m, index) => {
    if (m.id !== index + 1) {
      throw new MigrationError(
        "registry",
        `migration at position ${index + 1} has id ${m.id}; ids must be 1, 2, 3… in order, without gaps`,
      );
    }
    if (m.collections.length === 0) {
      throw new MigrationError("registry", `migration ${m.id} (${m.name}) names no collections`);
    }
  });
}

async function readRecords(db: Firestore): Promise<Map<number, Doc<"migration">>> {
  const snap = await refs.migrations(db).get();
  const records = new Map<number, Doc<"migration">>();
  for (const doc of snap.docs) {
    let record: Doc<"migration">;
    try {
      record = doc.data();
    } catch (err) {
      // A record that is not one cannot be skipped: the order of migrations depends on every record.
      if (!(err instanceof DocumentShapeError)) throw err;
      throw new MigrationError("registry", `${doc.ref.path} is not a migration record; fix or delete it`);
    }
    records.set(record.id, record);
  }
  return records;
}

/** Highest id such that every migration up to it is done; refuses records that break the order. */
function appliedThrough(records: Map<number, Doc<"migration">>, known: number): number {
  for (const id of records.keys()) {
    if (id > known) {
      throw new MigrationError(
        "unknown-applied",
        `the database has migration ${id}, but this code knows migrations up to ${known}: run the newer code`,
      );
    }
  }
  let done = 0;
  while (records.get(done + 1)?.status === "done") done++;
  for (const [id, record] of records) {
    if (id > done + 1 || (id === done + 1 && record.status !== "running")) {
      throw new MigrationError(
        "out-of-order",
        `migration ${id} is ${record.status} but migration ${done + 1} is not done: the database is out of order`,
      );
    }
  }
  return done;
}

/** Runs every pending migration up to `to`, in order, resuming one that a crashed runner left. */
export async function runMigrations(options: RunOptions): Promise<RunReport> {
  const migrations = options.migrations ?? MIGRATIONS;
  checkRegistry(migrations);
  const records = await readRecords(options.db);
  const from = appliedThrough(records, migrations.length);
  const to = options.to ?? migrations.length;
  if (!Number.isInteger(to) || to < 1 || to > migrations.length) {
    throw new MigrationError(
      "target-unknown",
      `there is no migration ${to}; known: 1 to ${migrations.length}`,
    );
  }
  if (to < from) {
    throw new MigrationError(
      "target-behind",
      `the database is at migration ${from}; migrations only run forward (undo with a new migration)`,
    );
  }
  const run = new Run(options);
  const outcomes: MigrationOutcome[] = [];
  for (const migration of migrations.slice(from, to)) {
    const outcome = await run.migrate(migration, records.get(migration.id));
    outcomes.push(outcome);
    if (outcome.status === "partial") return { from, to, migrations: outcomes, finished: false };
  }
  return { from, to, migrations: outcomes, finished: true };
}

/** Where a migration is: the same fields as its record, plus the record's last write time. */
interface RunState {
  collectionIndex: number;
  cursor: string | null;
  scanned: number;
  changed: number;
  recordTime: Timestamp | null;
}

interface PendingWrite {
  ref: DocumentReference;
  update: UpdateData<DocumentData>;
  updateTime: Timestamp;
}

class Run {
  private readonly db: Firestore;
  private readonly dryRun: boolean;
  private readonly pageSize: number;
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly now: () => Date;
  private readonly batchWrites: number;
  private budget: number;

  constructor(private readonly options: RunOptions) {
    this.db = options.db;
    this.dryRun = options.dryRun ?? false;
    this.pageSize = options.pageSize ?? 300;
    this.owner = options.owner ?? randomUUID();
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.now = options.now ?? (() => new Date());
    this.batchWrites = Math.min(options.batchWrites ?? MAX_BATCH_WRITES, MAX_BATCH_WRITES) - 1;
    this.budget = options.maxDocuments ?? Number.POSITIVE_INFINITY;
  }

  private timestamp(offsetMs = 0): Timestamp {
    return Timestamp.fromMillis(this.now().getTime() + offsetMs);
  }

  async migrate(migration: Migration, existing: Doc<"migration"> | undefined): Promise<MigrationOutcome> {
    const recordRef = refs.migration(this.db, recordId(migration.id));
    // A real run starts from the record as it is once the lease is ours, not as it was first read.
    const claimed = this.dryRun ? null : await this.claim(recordRef, migration);
    const record = claimed?.record ?? existing;
    const state: RunState = {
      collectionIndex: record?.collectionIndex ?? 0,
      cursor: record?.cursor ?? null,
      scanned: record?.scanned ?? 0,
      changed: record?.changed ?? 0,
      // The record's last write time: each commit is conditional on it, so a runner that lost its lease
      // to another cannot write over the other's progress.
      recordTime: claimed?.updateTime ?? null,
    };
    const outcome: MigrationOutcome = {
      id: migration.id,
      name: migration.name,
      description: migration.description,
      scanned: 0,
      changed: 0,
      status: "done",
      examples: [],
    };

    while (state.collectionIndex < migration.collections.length) {
      const collection = migration.collections[state.collectionIndex]!;
      let conflicts = 0;
      for (;;) {
        if (this.budget <= 0) {
          if (state.recordTime) {
            state.recordTime = await this.commit(recordRef, state, [], {
              leaseOwner: null,
              leaseUntil: null,
            });
          }
          outcome.status = "partial";
          return outcome;
        }
        const limit = Math.min(this.pageSize, this.budget);
        let query = groups.anyVersion(this.db, collection).orderBy(FieldPath.documentId()).limit(limit);
        if (state.cursor) query = query.startAfter(state.cursor);
        const page = await query.get();
        try {
          await this.processPage(migration, collection, page.docs, recordRef, state, outcome);
        } catch (error) {
          if (!isConflict(error) || ++conflicts > MAX_CONFLICT_RETRIES) throw error;
          await this.checkLease(recordRef);
          continue; // re-read the page from the last committed cursor
        }
        if (page.size < limit) break;
      }
      state.collectionIndex++;
      state.cursor = null;
      if (state.recordTime) {
        const finished = state.collectionIndex === migration.collections.length;
        state.recordTime = await this.commit(
          recordRef,
          state,
          [],
          finished
            ? { status: "done", finishedAt: this.timestamp(), leaseOwner: null, leaseUntil: null }
            : {},
        );
      }
    }
    return outcome;
  }

  /** Takes (or renews) the migration's lease, creating its record on the first run. */
  private async claim(
    recordRef: DocumentReference<Doc<"migration">>,
    migration: Migration,
  ): Promise<{ record: Doc<"migration">; updateTime: Timestamp }> {
    await this.db.runTransaction(async (tx) => {
      const record = (await tx.get(recordRef)).data();
      const now = this.timestamp();
      if (record) {
        if (
          record.leaseOwner &&
          record.leaseOwner !== this.owner &&
          record.leaseUntil &&
          record.leaseUntil.seconds * 1000 > now.toMillis()
        ) {
          throw new MigrationError(
            "leased",
            `migration ${migration.id} is being run by another runner until ${new Date(record.leaseUntil.seconds * 1000).toISOString()}`,
          );
        }
        tx.update(recordRef, {
          leaseOwner: this.owner,
          leaseUntil: this.timestamp(this.leaseMs),
          updatedAt: now,
        });
      } else {
        tx.create(recordRef, {
          id: migration.id,
          name: migration.name,
          description: migration.description,
          collections: [...migration.collections],
          status: "running",
          collectionIndex: 0,
          cursor: null,
          scanned: 0,
          changed: 0,
          startedAt: now,
          updatedAt: now,
          finishedAt: null,
          leaseOwner: this.owner,
          leaseUntil: this.timestamp(this.leaseMs),
        });
      }
    });
    const snap = await recordRef.get();
    return { record: snap.data()!, updateTime: snap.updateTime! };
  }

  private async checkLease(recordRef: DocumentReference<Doc<"migration">>): Promise<void> {
    const record = (await recordRef.get()).data();
    if (record?.leaseOwner !== this.owner) {
      throw new MigrationError("leased", `another runner took over migration ${record?.id}; this one stops`);
    }
  }

  private async processPage(
    migration: Migration,
    collection: string,
    docs: QueryDocumentSnapshot[],
    recordRef: DocumentReference<Doc<"migration">>,
    state: RunState,
    outcome: MigrationOutcome,
  ): Promise<void> {
    let pending: PendingWrite[] = [];
    let pendingBytes = 0;
    let pendingScanned = 0;
    const flush = async (cursor: string) => {
      if (state.recordTime) {
        state.recordTime = await this.commit(recordRef, { ...state, cursor }, pending, {}, pendingScanned);
      }
      state.cursor = cursor;
      state.scanned += pendingScanned;
      state.changed += pending.length;
      outcome.scanned += pendingScanned;
      outcome.changed += pending.length;
      this.budget -= pendingScanned;
      pending = [];
      pendingBytes = 0;
      pendingScanned = 0;
      this.options.onProgress?.({
        id: migration.id,
        name: migration.name,
        collection,
        scanned: outcome.scanned,
        changed: outcome.changed,
        dryRun: this.dryRun,
      });
    };
    for (const [index, doc] of docs.entries()) {
      const update = migration.step({ path: doc.ref.path, data: doc.data() });
      if (update) {
        if (this.dryRun && outcome.examples.length < EXAMPLES)
          outcome.examples.push({ path: doc.ref.path, update });
        const bytes = approximateBytes(doc.ref.path, update);
        if (pending.length >= this.batchWrites || pendingBytes + bytes > MAX_BATCH_BYTES) {
          // This document starts the next batch, so the committed cursor stops just before it.
          await flush(docs[index - 1]!.ref.path);
        }
        pending.push({ ref: doc.ref, update, updateTime: doc.updateTime });
        pendingBytes += bytes;
      }
      pendingScanned++;
    }
    if (docs.length > 0) await flush(docs[docs.length - 1]!.ref.path);
  }

  /**
   * One commit: the changed documents (each only if unchanged since it was read) and the progress
   * record (only if no other runner wrote it since), so progress and data never disagree.
   */
  private async commit(
    recordRef: DocumentReference<Doc<"migration">>,
    state: RunState,
    writes: PendingWrite[],
    extra: Partial<Doc<"migration">>,
    scannedDelta = 0,
  ): Promise<Timestamp> {
    const batch = this.db.batch();
    batch.update(
      recordRef,
      {
        collectionIndex: state.collectionIndex,
        cursor: state.cursor,
        scanned: state.scanned + scannedDelta,
        changed: state.changed + writes.length,
        updatedAt: this.timestamp(),
        leaseUntil: this.timestamp(this.leaseMs),
        ...extra,
      },
      { lastUpdateTime: state.recordTime! },
    );
    for (const write of writes) batch.update(write.ref, write.update, { lastUpdateTime: write.updateTime });
    const results = await batch.commit();
    return results[0]!.writeTime;
  }
}

/** FAILED_PRECONDITION (changed since read), NOT_FOUND (deleted since read), ABORTED (contention). */
function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 9 || code === 5 || code === 10;
}

function approximateBytes(path: string, update: UpdateData<DocumentData>): number {
  return path.length + 64 + (JSON.stringify(update)?.length ?? 0) * 2;
}
