import { OrgDoc, OrgDocAnyVersion } from "@hearth/schema";
import { type Firestore, Timestamp } from "firebase-admin/firestore";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getPlan } from "../../functions/src/billing/plans.js";
import type { Migration } from "../../functions/src/migrations/migration.js";
import { MIGRATIONS } from "../../functions/src/migrations/registry.js";
import { MAX_BATCH_WRITES, MigrationError, runMigrations } from "../../functions/src/migrations/runner.js";
import { migrationSlice } from "../../functions/src/migrations/task.js";
import { connect } from "../../scripts/lifecycle/target.js";
import { validateDatabase } from "../../scripts/lifecycle/validate.js";
import { type LifecycleEnv, orgV1, runScript, startLifecycleEnv } from "./support.js";

let env: LifecycleEnv;
let db: Firestore;

beforeAll(async () => {
  env = await startLifecycleEnv();
  db = env.target.db;
});
afterAll(async () => {
  await env.stop();
});

async function clear(): Promise<void> {
  const url = `http://${env.emulator.host}:${env.emulator.port}/emulator/v1/projects/${env.emulator.projectId}/databases/(default)/documents`;
  const res = await fetch(url, { method: "DELETE" });
  expect(res.ok).toBe(true);
}

/** An old-shape dataset: version-1 orgs on each plan, one current org, and a member. */
async function seedOldShape(into: Firestore = db): Promise<void> {
  const batch = into.batch();
  batch.set(into.doc("orgs/acme"), orgV1("Acme", "free"));
  batch.set(into.doc("orgs/globex"), orgV1("Globex", "pro"));
  batch.set(into.doc("orgs/initech"), orgV1("Initech", "team"));
  batch.set(into.doc("orgs/current"), {
    ...orgV1("Current"),
    entitlements: { ...orgV1("Current").entitlements, files: 7, fileMaxBytes: 9 },
  });
  batch.set(into.doc("orgs/acme/members/u1"), {
    uid: "u1",
    role: "owner",
    email: "ann@example.com",
    displayName: null,
    joinedAt: Timestamp.fromMillis(1_700_000_000_000),
    invitedBy: null,
  });
  await batch.commit();
}

describe("migration 0001 on an old-shape dataset", () => {
  beforeEach(clear);

  it("validate-data fails on version-1 orgs; the migration brings the dataset to zero failures", async () => {
    await seedOldShape();
    // Readers accept both shapes while the migration is in flight; validate-data holds to the current one.
    expect(OrgDocAnyVersion.safeParse(orgV1("Acme")).success).toBe(true);
    expect(OrgDoc.safeParse(orgV1("Acme")).success).toBe(false);
    const before = await validateDatabase(db);
    expect(before.invalid.map((d) => d.path)).toEqual(["orgs/acme", "orgs/globex", "orgs/initech"]);
    expect(before.invalid[0]!.problems.map((p) => p.field)).toEqual([
      "entitlements.files",
      "entitlements.fileMaxBytes",
    ]);

    const report = await runMigrations({ db });
    expect(report).toMatchObject({ from: 0, to: 2, finished: true });
    expect(report.migrations).toMatchObject([
      { id: 1, scanned: 4, changed: 3, status: "done" },
      { id: 2, scanned: 0, changed: 0, status: "done" },
    ]);

    const after = await validateDatabase(db);
    expect(after.invalid).toEqual([]);
    expect(after.checked).toBe(7); // 4 orgs, the member, _migrations/0001 and 0002
    const globex = OrgDoc.parse((await db.doc("orgs/globex").get()).data());
    const { files, fileMaxBytes } = getPlan("pro").entitlements;
    expect(globex.entitlements).toMatchObject({ files, fileMaxBytes });
    expect((await db.doc("orgs/current").get()).get("entitlements.files")).toBe(7);
    expect((await db.doc("_migrations/0001").get()).data()).toMatchObject({
      status: "done",
      scanned: 4,
      changed: 3,
      leaseOwner: null,
    });

    // Done is done: a second run has nothing to do and changes nothing.
    const again = await runMigrations({ db });
    expect(again).toMatchObject({ from: 2, to: 2, migrations: [], finished: true });
  });

  it("a dry run reports what would change and writes nothing", async () => {
    await seedOldShape();
    const report = await runMigrations({ db, dryRun: true });
    expect(report.migrations[0]).toMatchObject({ scanned: 4, changed: 3 });
    expect(report.migrations[0]!.examples[0]).toEqual({
      path: "orgs/acme",
      update: { "entitlements.files": 200, "entitlements.fileMaxBytes": 5 * 1024 * 1024 },
    });
    expect((await db.collection("_migrations").get()).size).toBe(0);
    expect((await validateDatabase(db)).invalid).toHaveLength(3);
  });

  it("the npm scripts: validate-data exits 1 naming path and field; migrate fixes the dataset", async () => {
    // Two copies of the dataset in two projects, so the two commands can run side by side.
    const other = connect("demo-lifecycle-cli", {
      emulatorHost: `${env.emulator.host}:${env.emulator.port}`,
    });
    try {
      await Promise.all([seedOldShape(), seedOldShape(other.db)]);
      const [failing, migrated] = await Promise.all([
        runScript("scripts/validate-data.ts", [], env.emulator),
        runScript("scripts/migrate.ts", ["--to", "1"], { ...env.emulator, projectId: "demo-lifecycle-cli" }),
      ]);
      expect(failing.output).toContain("orgs/globex  entitlements.fileMaxBytes: Invalid input");
      expect(failing.output).toContain("5 documents checked, 3 invalid");
      expect(failing.code).toBe(1);
      expect(migrated.output).toContain("0001 orgs: 4 read, 3 changed");
      expect(migrated.output).toContain("the database is at migration 1");
      expect(migrated.code).toBe(0);
      expect((await validateDatabase(other.db)).invalid).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

/** A test migration over `items`: sets `v: 2` on each item, so writes and progress can be counted. */
function itemsMigration(id: number, options: { crashAt?: string } = {}): Migration {
  return {
    id,
    name: `items-${id}`,
    description: "items get v 2",
    collections: ["items"],
    step({ path, data }) {
      if (path === options.crashAt) throw new Error("simulated crash");
      return data.v === 2 ? null : { v: 2, touched: (data.touched ?? 0) + 1 };
    },
  };
}

async function seedItems(count: number): Promise<void> {
  for (let start = 0; start < count; start += 500) {
    const batch = db.batch();
    for (let i = start; i < Math.min(count, start + 500); i++) {
      batch.set(db.doc(`items/${String(i).padStart(5, "0")}`), { v: 1 });
    }
    await batch.commit();
  }
}

describe("the runner", () => {
  beforeEach(clear);

  it("commits at most 500 writes per batch: the changed documents and the progress record", async () => {
    expect(MAX_BATCH_WRITES).toBe(500);
    await seedItems(12);
    const progress: number[] = [];
    const report = await runMigrations({
      db,
      migrations: [itemsMigration(1)],
      batchWrites: 5,
      onProgress: (p) => progress.push(p.changed),
    });
    expect(report.migrations[0]).toMatchObject({ scanned: 12, changed: 12 });
    // Batches of 4 documents plus the record, each committed with the cursor at its last document.
    expect(progress).toEqual([4, 8, 12]);
    const touched = await db.collection("items").where("touched", "==", 1).count().get();
    expect(touched.data().count).toBe(12);
  });

  it("resumes after a crash from the last committed document, once the crashed runner's lease expires", async () => {
    await seedItems(10);
    const crash = itemsMigration(1, { crashAt: "items/00007" });
    await expect(
      runMigrations({ db, migrations: [crash], pageSize: 3, owner: "first", leaseMs: 60_000 }),
    ).rejects.toThrow("simulated crash");
    expect((await db.doc("_migrations/0001").get()).data()).toMatchObject({
      status: "running",
      cursor: "items/00005",
      scanned: 6,
      leaseOwner: "first",
    });

    const second = { db, migrations: [itemsMigration(1)], pageSize: 3, owner: "second" };
    await expect(runMigrations(second)).rejects.toMatchObject({ reason: "leased" });
    const later = () => new Date(Date.now() + 120_000);
    const report = await runMigrations({ ...second, now: later });
    expect(report.migrations[0]).toMatchObject({ scanned: 4, changed: 4, status: "done" });
    // Every item was written exactly once across both runs.
    const once = await db.collection("items").where("touched", "==", 1).count().get();
    expect(once.data().count).toBe(10);
    expect((await db.doc("_migrations/0001").get()).data()).toMatchObject({ scanned: 10, changed: 10 });
  });

  it("works in slices: the deployed task re-queues itself until the migration is done", async () => {
    await seedItems(7);
    const queued: unknown[] = [];
    const deps = {
      db,
      migrations: [itemsMigration(1)],
      enqueue: async (input: unknown) => void queued.push(input),
    };
    const slices = [];
    do slices.push(await migrationSlice(deps, { to: 1 }, 3));
    while (!slices[slices.length - 1]!.finished);
    expect(slices.map((s) => s.migrations[0]?.scanned)).toEqual([3, 3, 1]);
    expect(queued).toEqual([{ to: 1 }, { to: 1 }]);
    expect((await db.doc("_migrations/0001").get()).data()).toMatchObject({
      status: "done",
      scanned: 7,
      leaseOwner: null,
    });
  });

  it("refuses gaps, unknown applied migrations, out-of-order records and going backwards", async () => {
    await expect(
      runMigrations({ db, migrations: [itemsMigration(1), itemsMigration(3)] }),
    ).rejects.toMatchObject({
      reason: "registry",
    });
    await seedItems(2);
    await runMigrations({ db, migrations: [itemsMigration(1), itemsMigration(2)], to: 1 });
    await expect(runMigrations({ db, migrations: [itemsMigration(1)], to: 3 })).rejects.toMatchObject({
      reason: "target-unknown",
    });
    await runMigrations({ db, migrations: [itemsMigration(1), itemsMigration(2)] });
    await expect(runMigrations({ db, migrations: [itemsMigration(1)] })).rejects.toMatchObject({
      reason: "unknown-applied",
    });
    await expect(
      runMigrations({ db, migrations: [itemsMigration(1), itemsMigration(2), itemsMigration(3)], to: 1 }),
    ).rejects.toMatchObject({ reason: "target-behind" });
    await db.doc("_migrations/0001").delete();
    const outOfOrder = runMigrations({ db, migrations: [itemsMigration(1), itemsMigration(2)] });
    await expect(outOfOrder).rejects.toBeInstanceOf(MigrationError);
    await expect(outOfOrder).rejects.toMatchObject({ reason: "out-of-order" });
  });

  it("the shipped registry is numbered 1…n", () => {
    expect(MIGRATIONS.map((m) => m.id)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
