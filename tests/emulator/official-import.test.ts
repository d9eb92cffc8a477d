/**
 * `--import DIR` of an export in Google's format (`firebase emulators:export`'s firestore_export/, or a
 * managed export): the emulator starts with its documents in the named project, every value type intact.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { silentLogger, startEmulator } from "@hearth/emulator";
import { initializeApp } from "firebase-admin/app";
import { GeoPoint, getFirestore, Timestamp } from "firebase-admin/firestore";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ExportDocument } from "../../emulator/src/export-format/entity.js";
import { writeExport } from "../../emulator/src/export-format/export-dir.js";

const PROJECT = "demo-official-import";
let dir: string;

const DOCS: ExportDocument[] = [
  {
    path: "orgs/acme",
    fields: [
      ["name", { type: "string", value: "Acme" }],
      ["seats", { type: "integer", value: 12n }],
      ["ratio", { type: "double", value: 0.25 }],
      ["nan", { type: "double", value: Number.NaN }],
      ["active", { type: "boolean", value: true }],
      ["deletedAt", { type: "null" }],
      ["createdAt", { type: "timestamp", micros: 1_700_000_000_123_456n }],
      ["logo", { type: "bytes", value: Uint8Array.of(0, 1, 255) }],
      ["where", { type: "geopoint", latitude: 48.85, longitude: 2.35 }],
      ["owner", { type: "reference", project: "prod-project", database: "(default)", path: "users/ann" }],
      [
        "tags",
        {
          type: "array",
          values: [
            { type: "string", value: "a" },
            { type: "integer", value: 2n },
          ],
        },
      ],
      ["settings", { type: "map", fields: [["theme", { type: "string", value: "dark" }]] }],
    ],
  },
  { path: "orgs/acme/members/ann", fields: [["role", { type: "string", value: "owner" }]] },
  { path: "users/ann", fields: [] },
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "hearth-official-import-"));
  await rm(dir, { recursive: true });
  await writeExport(dir, DOCS, { project: "prod-project", toolVersion: "test" });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it("loads every document and value of the export into the named project", async () => {
  const emulator = await startEmulator({
    port: 0,
    logger: silentLogger,
    importDir: dir,
    importProject: PROJECT,
  });
  try {
    const db = getFirestore(initializeApp({ projectId: PROJECT }, PROJECT));
    db.settings({ host: `${emulator.host}:${emulator.port}`, ssl: false });
    const org = (await db.doc("orgs/acme").get()).data()!;
    expect(org.name).toBe("Acme");
    expect(org.seats).toBe(12);
    expect(org.ratio).toBe(0.25);
    expect(Number.isNaN(org.nan)).toBe(true);
    expect(org.active).toBe(true);
    expect(org.deletedAt).toBeNull();
    expect((org.createdAt as Timestamp).isEqual(new Timestamp(1_700_000_000, 123_456_000))).toBe(true);
    expect([...(org.logo as Buffer)]).toEqual([0, 1, 255]);
    expect((org.where as GeoPoint).isEqual(new GeoPoint(48.85, 2.35))).toBe(true);
    // A reference points into the project the data was loaded into.
    expect(org.owner.path).toBe("users/ann");
    const raw = (await fetch(
      `http://${emulator.host}:${emulator.port}/v1/projects/${PROJECT}/databases/(default)/documents/orgs/acme`,
      { headers: { authorization: "Bearer owner" } },
    ).then((r) => r.json())) as { fields: { owner: { referenceValue: string } } };
    expect(raw.fields.owner.referenceValue).toBe(
      `projects/${PROJECT}/databases/(default)/documents/users/ann`,
    );
    expect(org.tags).toEqual(["a", 2]);
    expect(org.settings).toEqual({ theme: "dark" });
    expect((await db.doc("orgs/acme/members/ann").get()).get("role")).toBe("owner");
    expect((await db.doc("users/ann").get()).exists).toBe(true);
    expect((await db.collection("orgs").get()).size).toBe(1);
    await db.terminate();
  } finally {
    await emulator.stop();
  }
});

it("refuses to start without a project to load into, and on a damaged export", async () => {
  await expect(startEmulator({ port: 0, logger: silentLogger, importDir: dir })).rejects.toThrow(
    /export in Google's format.*--import-project/,
  );
  const damaged = await mkdtemp(path.join(tmpdir(), "hearth-damaged-import-"));
  await rm(damaged, { recursive: true });
  await writeExport(damaged, DOCS, { project: "prod-project", toolVersion: "test" });
  await writeFile(path.join(damaged, "firestore_export/all_namespaces/all_kinds/output-0"), "not a log");
  await expect(
    startEmulator({ port: 0, logger: silentLogger, importDir: damaged, importProject: PROJECT }),
  ).rejects.toThrow();
  await rm(damaged, { recursive: true, force: true });
});
