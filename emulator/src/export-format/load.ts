/**
 * Loads an export in Google's format (a managed export, `gcloud firestore export`, or the Firestore part
 * of `firebase emulators:export`) into one project's default database, so data exported from the
 * official emulator or from production starts Hearth's emulator as it was.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Databases } from "../store/databases.js";
import { makeDoc } from "../store/document.js";
import { microsToRfc3339 } from "../store/timestamp.js";
import { decodeFields } from "../wire/value.js";
import type { ExportFields, ExportValue } from "./entity.js";
import { EMULATOR_METADATA_FILE, readExport } from "./export-dir.js";

/** Whether `dir` holds an export in Google's format (rather than Hearth's own JSON snapshot). */
export async function isOfficialExport(dir: string): Promise<boolean> {
  const metadata = path.join(dir, EMULATOR_METADATA_FILE);
  if (existsSync(metadata)) {
    const parsed = JSON.parse(await readFile(metadata, "utf8")) as { firestore?: unknown };
    return parsed.firestore !== undefined;
  }
  return existsSync(dir) && (await readdir(dir)).some((n) => n.endsWith(".overall_export_metadata"));
}

/** An export value as the Proto3 JSON the emulator decodes requests from; references move to `project`. */
function protoJson(v: ExportValue, project: string): Record<string, unknown> {
  switch (v.type) {
    case "null":
      return { nullValue: null };
    case "boolean":
      return { booleanValue: v.value };
    case "integer":
      return { integerValue: v.value.toString() };
    case "double":
      return { doubleValue: Number.isFinite(v.value) ? v.value : String(v.value) };
    case "timestamp":
      return { timestampValue: microsToRfc3339(Number(v.micros)) };
    case "string":
      return { stringValue: v.value };
    case "bytes":
      return { bytesValue: Buffer.from(v.value).toString("base64") };
    case "reference":
      return { referenceValue: `projects/${project}/databases/${v.database}/documents/${v.path}` };
    case "geopoint":
      return { geoPointValue: { latitude: v.latitude, longitude: v.longitude } };
    case "array":
      return { arrayValue: { values: v.values.map((x) => protoJson(x, project)) } };
    case "map":
      return { mapValue: { fields: fieldsJson(v.fields, project) } };
  }
}

function fieldsJson(fields: ExportFields, project: string): Record<string, unknown> {
  return Object.fromEntries(fields.map(([name, value]) => [name, protoJson(value, project)]));
}

/**
 * Reads the whole export before storing anything, so a damaged export leaves the database as it was.
 * Returns the number of documents loaded.
 */
export async function loadOfficialExport(
  dir: string,
  databases: Databases,
  project: string,
  now: number,
): Promise<number> {
  const docs = [];
  for await (const doc of readExport(dir)) {
    docs.push(makeDoc(doc.path, decodeFields(fieldsJson(doc.fields, project)), now, now));
  }
  const db = databases.get({ project, database: "(default)" });
  for (const doc of docs) db.store.put(doc);
  return docs.length;
}
