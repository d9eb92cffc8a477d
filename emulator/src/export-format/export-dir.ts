/**
 * Export folders as Google's tools write them. A managed export (`gcloud firestore export`, the
 * scheduled backup) is a folder holding `<name>.overall_export_metadata` and
 * `all_namespaces/all_kinds/output-N` (or `all_namespaces/kind_<id>/…` for a collection subset);
 * `firebase emulators:export` wraps the same under `firestore_export/`, next to
 * `firebase-export-metadata.json`. The documents are all in the output files; the metadata files are
 * only needed to find them.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { decodeEntity, type ExportDocument, encodeEntity } from "./entity.js";
import { ExportFormatError } from "./errors.js";
import { readLog, writeLog } from "./leveldb-log.js";

/** firebase-tools' name for the file describing an emulator export. */
export const EMULATOR_METADATA_FILE = "firebase-export-metadata.json";
const FIRESTORE_FOLDER = "firestore_export";
/** Output files are cut at about this size, as the managed export does with its output-N files. */
const OUTPUT_FILE_BYTES = 64 * 1024 * 1024;

interface EmulatorMetadata {
  version?: string;
  firestore?: { version?: string; path?: string; metadata_file?: string };
}

/** The folder holding `*.overall_export_metadata` and `all_namespaces/`, from either layout. */
async function firestoreRoot(dir: string): Promise<string> {
  if (!existsSync(dir) || !(await stat(dir)).isDirectory()) {
    throw new ExportFormatError(`${dir} is not a folder`);
  }
  const emulatorMetadata = path.join(dir, EMULATOR_METADATA_FILE);
  if (existsSync(emulatorMetadata)) {
    let metadata: EmulatorMetadata;
    try {
      metadata = JSON.parse(await readFile(emulatorMetadata, "utf8")) as EmulatorMetadata;
    } catch {
      throw new ExportFormatError(`${emulatorMetadata} is not JSON`);
    }
    const file = metadata.firestore?.metadata_file;
    if (!file)
      throw new ExportFormatError(`${emulatorMetadata}: this emulator export holds no Firestore data`);
    return path.dirname(path.resolve(dir, file));
  }
  const names = await readdir(dir);
  if (names.some((n) => n.endsWith(".overall_export_metadata"))) return dir;
  throw new ExportFormatError(
    `${dir} is not a Firestore export: expected ${EMULATOR_METADATA_FILE} or a *.overall_export_metadata file`,
  );
}

/** output-N files under `all_namespaces/`, in name and number order. */
async function outputFiles(root: string): Promise<string[]> {
  const base = path.join(root, "all_namespaces");
  if (!existsSync(base)) return [];
  const files: string[] = [];
  for (const kindDir of (await readdir(base)).sort()) {
    const dir = path.join(base, kindDir);
    if (!(await stat(dir)).isDirectory()) continue;
    const outputs = (await readdir(dir))
      .filter((n) => /^output-\d+$/.test(n))
      .sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)));
    files.push(...outputs.map((n) => path.join(dir, n)));
  }
  return files;
}

/** Every document of an export, file by file. Damage anywhere is an ExportFormatError. */
export async function* readExport(dir: string): AsyncGenerator<ExportDocument> {
  const root = await firestoreRoot(dir);
  for (const file of await outputFiles(root)) {
    const name = path.relative(dir, file);
    let index = 0;
    for (const record of readLog(new Uint8Array(await readFile(file)), name)) {
      yield decodeEntity(record, `${name} record ${index++}`);
    }
  }
}

/**
 * Writes documents as an export in the `firebase emulators:export` layout, which holds the managed
 * export's folder (`firestore_export/`) unchanged. `dir` must not exist or be empty.
 */
export async function writeExport(
  dir: string,
  documents: AsyncIterable<ExportDocument> | Iterable<ExportDocument>,
  options: { project: string; toolVersion: string },
): Promise<{ documents: number; files: string[] }> {
  if (existsSync(dir) && (await readdir(dir)).length > 0) {
    throw new ExportFormatError(`${dir} is not empty; choose a new folder for the export`);
  }
  const root = path.join(dir, FIRESTORE_FOLDER);
  const kindDir = path.join(root, "all_namespaces", "all_kinds");
  await mkdir(kindDir, { recursive: true });
  const files: string[] = [];
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  let count = 0;
  const flush = async () => {
    const file = path.join(kindDir, `output-${files.length}`);
    await writeFile(file, writeLog(batch));
    files.push(file);
    batch = [];
    batchBytes = 0;
  };
  try {
    for await (const doc of documents) {
      const record = encodeEntity(doc, options.project);
      batch.push(record);
      batchBytes += record.length;
      count++;
      if (batchBytes >= OUTPUT_FILE_BYTES) await flush();
    }
    if (batch.length > 0 || files.length === 0) await flush();
    // Hearth's reader needs only the output files; these name the export the way Google's tools do.
    await writeFile(path.join(root, `${FIRESTORE_FOLDER}.overall_export_metadata`), new Uint8Array());
    await writeFile(path.join(kindDir, "all_namespaces_all_kinds.export_metadata"), new Uint8Array());
    const metadata: EmulatorMetadata = {
      version: options.toolVersion,
      firestore: {
        version: "hearth",
        path: FIRESTORE_FOLDER,
        metadata_file: `${FIRESTORE_FOLDER}/${FIRESTORE_FOLDER}.overall_export_metadata`,
      },
    };
    await writeFile(path.join(dir, EMULATOR_METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
  } catch (error) {
    // A half-written export must not pass for a backup.
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { documents: count, files };
}
