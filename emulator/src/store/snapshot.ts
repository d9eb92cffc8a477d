/**
 * Import and export of all databases as one JSON file, so local data survives restarts. Values are
 * written in Proto3 JSON and read back through the same decoder as request values.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeFields } from "../wire/value.js";
import type { Databases } from "./databases.js";
import { makeDoc } from "./document.js";
import { toProtoJsonFields } from "./proto-json.js";

export const SNAPSHOT_FILE = "hearth-firestore.json";

interface SnapshotDoc {
  path: string;
  createTime: number;
  updateTime: number;
  fields: Record<string, unknown>;
}

interface Snapshot {
  format: "hearth-firestore/1";
  databases: Array<{ project: string; database: string; documents: SnapshotDoc[] }>;
}

export async function exportSnapshot(dir: string, databases: Databases): Promise<string> {
  const snapshot: Snapshot = {
    format: "hearth-firestore/1",
    databases: databases.list().map((db) => ({
      project: db.id.project,
      database: db.id.database,
      documents: [...db.store.all()].map((d) => ({
        path: d.path,
        createTime: d.createTime,
        updateTime: d.updateTime,
        fields: toProtoJsonFields(d.fields),
      })),
    })),
  };
  await mkdir(dir, { recursive: true });
  const file = join(dir, SNAPSHOT_FILE);
  // Write then rename, so a crash mid-export never leaves a truncated file behind.
  await writeFile(`${file}.tmp`, JSON.stringify(snapshot));
  await rename(`${file}.tmp`, file);
  return file;
}

/** Loads a snapshot; a missing file is not an error (first start). Returns the number of documents. */
export async function importSnapshot(dir: string, databases: Databases): Promise<number> {
  let text: string;
  try {
    text = await readFile(join(dir, SNAPSHOT_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  const snapshot = JSON.parse(text) as Snapshot;
  if (snapshot.format !== "hearth-firestore/1") throw new Error(`Unknown export format in ${dir}.`);
  let count = 0;
  for (const entry of snapshot.databases) {
    const db = databases.get({ project: entry.project, database: entry.database });
    for (const d of entry.documents) {
      db.store.put(makeDoc(d.path, decodeFields(d.fields), d.createTime, d.updateTime));
      count++;
    }
  }
  return count;
}
