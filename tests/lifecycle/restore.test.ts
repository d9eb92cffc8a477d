import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { FieldValue, type Firestore, GeoPoint, Timestamp } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExportValue } from "../../emulator/src/export-format/entity.js";
import { ExportFormatError } from "../../emulator/src/export-format/errors.js";
import { toExportFields } from "../../scripts/lifecycle/firestore-values.js";
import { exportDatabase, restoreExport } from "../../scripts/lifecycle/restore-export.js";
import { connect } from "../../scripts/lifecycle/target.js";
import { walkDocuments } from "../../scripts/lifecycle/walk.js";
import { type LifecycleEnv, orgV1, runScript, startLifecycleEnv } from "./support.js";

let source: LifecycleEnv;
let target: LifecycleEnv;
let dir: string;

/** Every Firestore value type, nested, plus a field long enough to span LevelDB blocks. */
function everyType(db: Firestore) {
  return {
    null: null,
    true: true,
    false: false,
    integer: 9_007_199_254_740_993n,
    negative: -42n,
    double: 1.5,
    negativeZero: -0,
    nan: Number.NaN,
    infinity: Number.POSITIVE_INFINITY,
    minusInfinity: Number.NEGATIVE_INFINITY,
    string: "héllo, 世界 🔥",
    long: "x".repeat(100_000),
    bytes: Buffer.from([0, 1, 2, 254, 255]),
    timestamp: new Timestamp(1_700_000_000, 123_456_000),
    beforeEpoch: new Timestamp(-1, 999_999_000),
    geopoint: new GeoPoint(48.8566, 2.3522),
    reference: db.doc("orgs/acme/projects/p1"),
    array: [1n, "two", null, { three: 3n }, false],
    emptyArray: [],
    map: { nested: { deeper: { value: 1n, list: [new GeoPoint(0, 0)] } }, emptyMap: {} },
    "field with spaces.and dots": "ok",
    vector: FieldValue.vector([0.5, -1, 2.25]),
  };
}

/** Hearth documents that parse against schema/. */
async function seedHearth(db: Firestore): Promise<void> {
  const batch = db.batch();
  batch.set(db.doc("orgs/acme"), {
    ...orgV1("Acme"),
    entitlements: { ...orgV1("Acme").entitlements, files: 200, fileMaxBytes: 5 * 1024 * 1024 },
  });
  batch.set(db.doc("orgs/acme/members/u1"), {
    uid: "u1",
    role: "owner",
    email: "ann@example.com",
    displayName: "Ann",
    joinedAt: Timestamp.fromMillis(1_700_000_000_000),
    invitedBy: null,
  });
  await batch.commit();
}

async function seed(db: Firestore): Promise<void> {
  await seedHearth(db);
  const batch = db.batch();
  batch.set(db.doc("types/all"), everyType(db));
  batch.set(db.doc("types/all/children/c1"), { n: 1n });
  // A subcollection under a document that does not exist.
  batch.set(db.doc("types/missing/children/c2"), { n: 2n });
  await batch.commit();
}

/** Documents as export values, with references' project blanked (a restore points them at its own). */
async function snapshot(db: Firestore): Promise<Map<string, unknown>> {
  const blank = (v: ExportValue): ExportValue =>
    v.type === "reference"
      ? { ...v, project: "" }
      : v.type === "array"
        ? { ...v, values: v.values.map(blank) }
        : v.type === "map"
          ? { ...v, fields: v.fields.map(([k, x]) => [k, blank(x)]) }
          : v;
  const docs = new Map<string, unknown>();
  for await (const snap of walkDocuments(db)) {
    docs.set(
      snap.ref.path,
      toExportFields(snap.data() ?? {}, snap.ref.path).map(([k, v]) => [k, blank(v)]),
    );
  }
  return docs;
}

beforeAll(async () => {
  [source, target] = await Promise.all([startLifecycleEnv(), startLifecycleEnv()]);
  await seed(source.exact.db);
  dir = await mkdtemp(path.join(tmpdir(), "hearth-export-"));
  await rm(dir, { recursive: true });
});
afterAll(async () => {
  await Promise.all([source.stop(), target.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe("export and restore", () => {
  it("exports the seeded stack in the emulators:export layout of the official format", async () => {
    const result = await exportDatabase(source.exact.db, dir, {
      project: source.emulator.projectId,
      toolVersion: "test",
    });
    expect(result.documents).toBe(5);
    const metadata = JSON.parse(readFileSync(path.join(dir, "firebase-export-metadata.json"), "utf8"));
    expect(metadata.firestore).toMatchObject({
      path: "firestore_export",
      metadata_file: "firestore_export/firestore_export.overall_export_metadata",
    });
    expect(existsSync(path.join(dir, metadata.firestore.metadata_file))).toBe(true);
    expect(result.files).toEqual([path.join(dir, "firestore_export/all_namespaces/all_kinds/output-0")]);
  });

  it("restores into an empty emulator: the same documents, every value type intact", async () => {
    const report = await restoreExport(dir, target.exact.db);
    expect(report.restored).toBe(5);
    expect(report.countMismatches).toEqual([]);
    expect(Object.fromEntries(report.expected)).toEqual({
      "orgs/*": 1,
      "orgs/*/members/*": 1,
      "types/*": 1,
      "types/*/children/*": 2,
    });
    // Hearth's documents parse; the test's own collection is outside the data model and reported.
    expect(report.validation.invalid.map((d) => d.path)).toEqual([
      "types/all",
      "types/all/children/c1",
      "types/missing/children/c2",
    ]);
    const [before, after] = await Promise.all([snapshot(source.exact.db), snapshot(target.exact.db)]);
    expect(after).toEqual(before);
    // toEqual compares numbers with Object.is: -0 and NaN survived as themselves.
    const all = (await target.exact.db.doc("types/all").get()).data()!;
    expect(Object.is(all.negativeZero, -0)).toBe(true);
    expect(all.reference.path).toBe("orgs/acme/projects/p1");
    expect(all.vector.toArray()).toEqual([0.5, -1, 2.25]); // a vector again, not a map that looks like one
    expect(all.timestamp).toEqual(new Timestamp(1_700_000_000, 123_456_000));
  });

  it("a damaged export writes nothing", async () => {
    const damaged = `${dir}-damaged`;
    await exportDatabase(source.exact.db, damaged, { project: "demo-x", toolVersion: "test" });
    const output = path.join(damaged, "firestore_export/all_namespaces/all_kinds/output-0");
    const bytes = await readFile(output);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 20) ^ 0xff, bytes.length - 20);
    await writeFile(output, bytes);
    const fresh = await startLifecycleEnv();
    try {
      await expect(restoreExport(damaged, fresh.exact.db)).rejects.toThrow(ExportFormatError);
      expect(await fresh.exact.db.listCollections()).toEqual([]);
      await expect(
        restoreExport(path.join(damaged, "firestore_export/all_namespaces"), fresh.exact.db),
      ).rejects.toThrow(/is not a Firestore export/);
    } finally {
      await fresh.stop();
      await rm(damaged, { recursive: true, force: true });
    }
  });

  it("npm run restore -- --replace loads a managed-export folder into the stack and checks counts and schemas", async () => {
    // The gcloud layout: the folder holding *.overall_export_metadata, without the emulator wrapper.
    const hearthOnly = `${dir}-hearth`;
    const fresh = await startLifecycleEnv();
    try {
      await seedHearth(fresh.exact.db);
      await exportDatabase(fresh.exact.db, hearthOnly, { project: "demo-x", toolVersion: "test" });
      // The drill's project already has a document: --replace clears it once the export reads intact.
      const drill = { ...fresh.emulator, projectId: "demo-restore-drill" };
      const stale = connect(drill.projectId, { emulatorHost: `${drill.host}:${drill.port}` });
      await stale.db.doc("stale/doc").set({ left: "over" });
      await stale.close();
      const folder = path.join(hearthOnly, "firestore_export");
      const run = await runScript("scripts/restore.ts", [folder, "--replace"], drill);
      expect(run.output).toContain("2 documents restored; counts match the export and every document parses");
      expect(run.code).toBe(0);
    } finally {
      await fresh.stop();
      await rm(hearthOnly, { recursive: true, force: true });
    }
  });
});
