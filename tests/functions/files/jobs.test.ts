import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../../functions/src/lib/clock.js";
import { type FilesTestEnv, newId, seedFilesOrg, startFilesTestEnv } from "./support.js";

// The org purge and the orphan report against Hearth's Firestore and Storage emulators.

let env: FilesTestEnv;
let jobs: {
  purge: typeof import("../../../functions/src/jobs/purge-deleted-orgs.js");
  orphans: typeof import("../../../functions/src/jobs/find-orphaned-files.js");
  recordUploadedFile: typeof import("../../../functions/src/files/on-object-finalized.js").recordUploadedFile;
  runJob: typeof import("../../../functions/src/lib/job-run.js").runJob;
};
const DAY = 86_400_000;
const at = (ms: number): Clock => ({ now: () => new Date(ms) });

beforeAll(async () => {
  env = await startFilesTestEnv();
  jobs = {
    purge: await import("../../../functions/src/jobs/purge-deleted-orgs.js"),
    orphans: await import("../../../functions/src/jobs/find-orphaned-files.js"),
    recordUploadedFile: (await import("../../../functions/src/files/on-object-finalized.js"))
      .recordUploadedFile,
    runJob: (await import("../../../functions/src/lib/job-run.js")).runJob,
  };
});
afterAll(() => env?.stop());

async function put(name: string, size = 10) {
  const file = env.bucket.file(name);
  await file.save(Buffer.alloc(size, 1), { contentType: "text/plain" });
  const [meta] = await file.getMetadata();
  return { name, size, contentType: "text/plain", generation: String(meta.generation), metadata: undefined };
}
const objectNames = async (prefix: string) =>
  (await env.bucket.getFiles({ prefix }))[0].map((f) => f.name).sort();

describe("purgeDeletedOrgs removes the org's objects", () => {
  it("objects under orgs/{orgId}/ go with the org's documents, within the budget, across runs", async () => {
    const now = Date.now();
    const old = await seedFilesOrg(env);
    const live = await seedFilesOrg(env);
    for (let i = 0; i < 5; i++) {
      await jobs.recordUploadedFile(
        { db: env.db, clock: at(now), bucket: env.bucket },
        await put(`orgs/${old}/files/f${i}`),
      );
    }
    await put(`orgs/${old}/exports/dump.json`);
    await put(`orgs/${live}/files/keep.txt`);
    await env.db.doc(`orgs/${old}`).update({ deletedAt: new Date(now - 31 * DAY) });

    // 6 objects, then 5 records, usage/storage, 2 members, the org: a budget of 4 takes four runs.
    const job = jobs.purge.purgeDeletedOrgsWith({
      retentionDays: 30,
      maxDeletes: 4,
      bucket: () => env.bucket,
    });
    const first = await job({ db: env.db, clock: at(now) });
    expect(first).toMatchObject({ purged: 0, pending: 1, deleted: 4 });
    expect((await objectNames(`orgs/${old}/`)).length).toBe(2);
    expect((await env.db.doc(`orgs/${old}`).get()).exists).toBe(true);

    let runs = 1;
    while ((await env.db.doc(`orgs/${old}`).get()).exists && runs < 10) {
      await job({ db: env.db, clock: at(now) });
      runs++;
    }
    expect(runs).toBe(4);
    expect(await objectNames(`orgs/${old}/`)).toEqual([]);
    expect((await env.db.doc(`orgs/${old}`).listCollections()).map((c) => c.id)).toEqual([]);
    expect(await objectNames(`orgs/${live}/`)).toEqual([`orgs/${live}/files/keep.txt`]);
  });
});

describe("findOrphanedFiles", () => {
  it("reports objects without a record of their generation, of a gone org or off the file paths, and deletes nothing", async () => {
    const now = Date.now();
    const deps = { db: env.db, clock: at(now), bucket: env.bucket };
    const orgId = await seedFilesOrg(env);
    await jobs.recordUploadedFile(deps, await put(`orgs/${orgId}/files/recorded.txt`));
    // Overwritten without its event being handled: the record describes the older generation.
    const stale = `orgs/${orgId}/files/stale.txt`;
    await jobs.recordUploadedFile(deps, await put(stale));
    await put(stale, 20);
    await put(`orgs/${orgId}/files/unrecorded.txt`);
    await put(`orgs/${newId("gone")}/files/a.txt`);
    await put(`orgs/${orgId}/misc/notes.txt`);

    const scan = jobs.orphans.findOrphanedFilesWith({
      bucket: () => env.bucket,
      graceMinutes: 60,
      maxObjects: 1_000,
      maxLogged: 10,
    });
    // Within the grace period nothing is judged: those events may still be on their way.
    expect(await scan({ db: env.db, clock: at(now) })).toMatchObject({ orphaned: 0, complete: 1 });

    const later = await scan({ db: env.db, clock: at(now + 2 * 60 * 60_000) });
    // Other tests in this file leave objects of their own; count only this test's.
    expect(later).toMatchObject({ complete: 1, skippedRecent: 0 });
    expect(later.noRecord).toBeGreaterThanOrEqual(2);
    expect(later.orgGone).toBeGreaterThanOrEqual(1);
    expect(later.unexpectedPath).toBeGreaterThanOrEqual(1);
    expect(later.orphaned).toBe(later.noRecord! + later.orgGone! + later.unexpectedPath!);
    expect((await objectNames(`orgs/${orgId}/`)).length).toBe(4);
  });

  it("runs as a job: the counts land in jobRuns", async () => {
    const orgId = await seedFilesOrg(env);
    await put(`orgs/${orgId}/files/lost.txt`);
    const handler = jobs.orphans.findOrphanedFilesWith({
      bucket: () => env.bucket,
      graceMinutes: 0,
      maxObjects: 1_000,
      maxLogged: 10,
    });
    const { runId, result } = await jobs.runJob("findOrphanedFiles", handler, {
      db: env.db,
      clock: at(Date.now() + 1000),
    });
    expect(result.noRecord).toBeGreaterThanOrEqual(1);
    const run = await env.db.doc(`jobRuns/${runId}`).get();
    expect(run.get("status")).toBe("succeeded");
    expect(run.get("result")).toEqual(result);
  });
});
