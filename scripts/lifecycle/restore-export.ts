/**
 * Loads an export into a database through firebase-admin batched writes, after reading the whole
 * export once to check it: a damaged export writes nothing. Then compares document counts per
 * collection and validates every document against schema/.
 */
import type { Firestore } from "firebase-admin/firestore";
import type { ExportDocument } from "../../emulator/src/export-format/entity.js";
import { readExport, writeExport } from "../../emulator/src/export-format/export-dir.js";
import { MAX_BATCH_WRITES } from "../../functions/src/migrations/runner.js";
import { fromExportFields, toExportFields } from "./firestore-values.js";
import { collectionPattern, type ValidationReport, validateDatabase } from "./validate.js";
import { walkDocuments } from "./walk.js";

const MAX_BATCH_BYTES = 8 * 1024 * 1024;

export interface RestoreReport {
  /** Documents in the export, per collection pattern. */
  expected: Map<string, number>;
  restored: number;
  /** Collections whose count in the database differs from the export's. */
  countMismatches: Array<{ pattern: string; expected: number; found: number }>;
  validation: ValidationReport;
}

/** A rough size of a document for keeping batches under Firestore's 10 MiB request limit. */
function approximateBytes(doc: ExportDocument): number {
  return (
    doc.path.length + JSON.stringify(doc.fields, (_k, v) => (typeof v === "bigint" ? v.toString() : v)).length
  );
}

export async function restoreExport(
  dir: string,
  db: Firestore,
  options: {
    onProgress?: (written: number, total: number) => void;
    /** Runs once the export has been read and found intact, before the first write (e.g. clear the database). */
    beforeWrite?: () => Promise<void>;
  } = {},
): Promise<RestoreReport> {
  const expected = new Map<string, number>();
  let total = 0;
  for await (const doc of readExport(dir)) {
    const pattern = collectionPattern(doc.path);
    expected.set(pattern, (expected.get(pattern) ?? 0) + 1);
    total++;
  }

  await options.beforeWrite?.();
  let batch = db.batch();
  let writes = 0;
  let bytes = 0;
  let restored = 0;
  const commit = async () => {
    if (writes === 0) return;
    await batch.commit();
    restored += writes;
    options.onProgress?.(restored, total);
    batch = db.batch();
    writes = 0;
    bytes = 0;
  };
  for await (const doc of readExport(dir)) {
    const size = approximateBytes(doc);
    if (writes >= MAX_BATCH_WRITES || bytes + size > MAX_BATCH_BYTES) await commit();
    batch.set(db.doc(doc.path), fromExportFields(doc.fields, db));
    writes++;
    bytes += size;
  }
  await commit();

  const validation = await validateDatabase(db);
  const patterns = new Set([...expected.keys(), ...validation.counts.keys()]);
  const countMismatches = [...patterns]
    .map((pattern) => ({
      pattern,
      expected: expected.get(pattern) ?? 0,
      found: validation.counts.get(pattern) ?? 0,
    }))
    .filter((c) => c.expected !== c.found);
  return { expected, restored, countMismatches, validation };
}

/** Writes every document of `db` as an export in `dir` (the official format; see export-dir.ts). */
export async function exportDatabase(
  db: Firestore,
  dir: string,
  options: { project: string; toolVersion: string },
): Promise<{ documents: number; files: string[] }> {
  async function* documents(): AsyncGenerator<ExportDocument> {
    for await (const snap of walkDocuments(db)) {
      yield { path: snap.ref.path, fields: toExportFields(snap.data() ?? {}, snap.ref.path) };
    }
  }
  return writeExport(dir, documents(), options);
}
