import { assertFails, assertSucceeds } from "@firebase/rules-unit-testing";
import { FileDoc, StorageUsageDoc } from "@hearth/schema";
import { doc, getDoc } from "firebase/firestore";
import { FieldValue } from "firebase-admin/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FinalizedObject } from "../../../functions/src/files/on-object-finalized.js";
import type { Clock } from "../../../functions/src/lib/clock.js";
import { type FilesTestEnv, newId, seedFilesOrg, startFilesTestEnv } from "./support.js";

// The storage triggers' handlers against Hearth's Firestore and Storage emulators: objects are really
// uploaded and deleted with firebase-admin (which bypasses storage.rules, as two uploads that both passed
// the rules at the same moment would), and the handlers are given the events Storage would send.

let env: FilesTestEnv;
let forgetDeletedFile: typeof import("../../../functions/src/files/on-object-deleted.js").forgetDeletedFile;
let onFileDeleted: typeof import("../../../functions/src/files/on-object-deleted.js").onFileDeleted;
let recordUploadedFile: typeof import("../../../functions/src/files/on-object-finalized.js").recordUploadedFile;
let onFileUploaded: typeof import("../../../functions/src/files/on-object-finalized.js").onFileUploaded;
const clock: Clock = { now: () => new Date("2026-11-20T10:00:00Z") };

beforeAll(async () => {
  env = await startFilesTestEnv();
  // Storage triggers name the default bucket when they are defined, so they load after the environment.
  ({ forgetDeletedFile, onFileDeleted } = await import("../../../functions/src/files/on-object-deleted.js"));
  ({ recordUploadedFile, onFileUploaded } = await import(
    "../../../functions/src/files/on-object-finalized.js"
  ));
});
afterAll(() => env?.stop());

const deps = () => ({ db: env.db, clock, bucket: env.bucket });

/** Uploads an object with firebase-admin and returns the finalized event's data for it. */
async function put(name: string, size: number, uploadedBy = "ann"): Promise<FinalizedObject> {
  const file = env.bucket.file(name);
  await file.save(Buffer.alloc(size, 7), {
    contentType: "text/plain",
    metadata: { metadata: { uploadedBy } },
  });
  const [meta] = await file.getMetadata();
  return {
    name,
    size: Number(meta.size),
    contentType: meta.contentType,
    generation: String(meta.generation),
    metadata: meta.metadata as Record<string, string>,
  };
}

const exists = async (name: string) => (await env.bucket.file(name).exists())[0];
const record = (orgId: string, fileId: string) => env.db.doc(`orgs/${orgId}/files/${fileId}`).get();
async function usage(orgId: string) {
  const snap = await env.db.doc(`orgs/${orgId}/usage/storage`).get();
  return snap.exists ? StorageUsageDoc.parse(snap.data()) : null;
}

describe("onFileUploaded: records and usage", () => {
  it("records the upload in the shape of FileDoc and adds it to usage; a redelivered event changes nothing", async () => {
    const orgId = await seedFilesOrg(env);
    const object = await put(`orgs/${orgId}/files/logo.png`, 2048);
    await expect(recordUploadedFile(deps(), object)).resolves.toBe("recorded");
    const first = await record(orgId, "logo.png");
    expect(FileDoc.parse(first.data())).toMatchObject({
      storagePath: object.name,
      size: 2048,
      contentType: "text/plain",
      uploadedBy: "ann",
      generation: object.generation,
    });
    expect(await usage(orgId)).toEqual({ storageBytes: 2048, files: 1 });

    await expect(recordUploadedFile(deps(), object)).resolves.toBe("duplicate");
    expect((await record(orgId, "logo.png")).updateTime?.isEqual(first.updateTime!)).toBe(true);
    expect(await usage(orgId)).toEqual({ storageBytes: 2048, files: 1 });
  });

  it("objects outside orgs/{orgId}/files/ are not recorded", async () => {
    const orgId = await seedFilesOrg(env);
    for (const name of ["avatars/ann.png", `orgs/${orgId}/other/x`, `orgs/${orgId}/files/a/b`]) {
      const object = await put(name, 10);
      await expect(recordUploadedFile(deps(), object)).resolves.toBe("ignored");
    }
    expect(await usage(orgId)).toBeNull();
  });

  it("a late event for an object deleted since records nothing", async () => {
    const orgId = await seedFilesOrg(env);
    const object = await put(`orgs/${orgId}/files/brief.txt`, 100);
    await env.bucket.file(object.name).delete();
    await expect(recordUploadedFile(deps(), object)).resolves.toBe("gone");
    expect((await record(orgId, "brief.txt")).exists).toBe(false);
    expect(await usage(orgId)).toBeNull();
  });

  it("an overwrite (same path, new generation) replaces the record and counts only the difference", async () => {
    const orgId = await seedFilesOrg(env);
    const name = `orgs/${orgId}/files/notes.txt`;
    await recordUploadedFile(deps(), await put(name, 300));
    const second = await put(name, 500);
    await expect(recordUploadedFile(deps(), second)).resolves.toBe("recorded");
    expect((await record(orgId, "notes.txt")).get("generation")).toBe(second.generation);
    expect(await usage(orgId)).toEqual({ storageBytes: 500, files: 1 });
  });
});

describe("onFileUploaded: plan limits behind storage.rules", () => {
  it("two uploads that both passed the rules: the one that no longer fits is deleted and audited", async () => {
    const orgId = await seedFilesOrg(env, { files: 2, storageBytes: 10_000 });
    await recordUploadedFile(deps(), await put(`orgs/${orgId}/files/a.txt`, 1_000));
    // Both judged by the rules while one file was stored: each fits alone, together they pass the count.
    const b = await put(`orgs/${orgId}/files/b.txt`, 1_000);
    const c = await put(`orgs/${orgId}/files/c.txt`, 1_000, "val");
    await expect(recordUploadedFile(deps(), b)).resolves.toBe("recorded");
    await expect(recordUploadedFile(deps(), c)).resolves.toBe("rejected");

    expect(await exists(c.name)).toBe(false);
    expect(await exists(b.name)).toBe(true);
    expect((await record(orgId, "c.txt")).exists).toBe(false);
    expect(await usage(orgId)).toEqual({ storageBytes: 2_000, files: 2 });
    const audit = await env.db.collection(`orgs/${orgId}/auditLog`).get();
    expect(audit.docs.map((d) => d.data())).toEqual([
      expect.objectContaining({
        actor: "val",
        action: "files.rejected",
        target: "files/c.txt",
        after: { reason: "too-many-files", size: 1_000 },
      }),
    ]);
    // Redelivered: the object is gone, so nothing changes and no second audit entry appears.
    await expect(recordUploadedFile(deps(), c)).resolves.toBe("gone");
    expect((await env.db.collection(`orgs/${orgId}/auditLog`).get()).size).toBe(1);
  });

  it("stored bytes: the upload that would pass storageBytes is deleted; one that fills it exactly is kept", async () => {
    const orgId = await seedFilesOrg(env, { storageBytes: 3_000 });
    await expect(recordUploadedFile(deps(), await put(`orgs/${orgId}/files/a`, 2_000))).resolves.toBe(
      "recorded",
    );
    const over = await put(`orgs/${orgId}/files/b`, 1_001);
    await expect(recordUploadedFile(deps(), over)).resolves.toBe("rejected");
    expect(await exists(over.name)).toBe(false);
    await expect(recordUploadedFile(deps(), await put(`orgs/${orgId}/files/c`, 1_000))).resolves.toBe(
      "recorded",
    );
    expect(await usage(orgId)).toEqual({ storageBytes: 3_000, files: 2 });
  });

  it("per-file size: an object larger than the plan's fileMaxBytes is deleted", async () => {
    const orgId = await seedFilesOrg(env, { fileMaxBytes: 1_000 });
    const big = await put(`orgs/${orgId}/files/big`, 1_001);
    await expect(recordUploadedFile(deps(), big)).resolves.toBe("rejected");
    expect(await exists(big.name)).toBe(false);
    expect(await usage(orgId)).toBeNull();
  });

  it("a version-1 org (entitlements from before file limits) keeps its stored bytes limit and its plan's file limits", async () => {
    const orgId = await seedFilesOrg(env, { storageBytes: 3_000 });
    await env.db.doc(`orgs/${orgId}`).update({
      "entitlements.files": FieldValue.delete(),
      "entitlements.fileMaxBytes": FieldValue.delete(),
    });
    await expect(recordUploadedFile(deps(), await put(`orgs/${orgId}/files/a`, 2_000))).resolves.toBe(
      "recorded",
    );
    await expect(recordUploadedFile(deps(), await put(`orgs/${orgId}/files/b`, 1_001))).resolves.toBe(
      "rejected",
    );
  });

  it("uploads to a soft-deleted org, or to no org at all, are deleted and not recorded", async () => {
    const deleted = await seedFilesOrg(env, {}, { deleted: true });
    const late = await put(`orgs/${deleted}/files/late.txt`, 10);
    await expect(recordUploadedFile(deps(), late)).resolves.toBe("rejected");
    expect(await exists(late.name)).toBe(false);
    const stray = await put(`orgs/${newId("nope")}/files/x.txt`, 10);
    await expect(recordUploadedFile(deps(), stray)).resolves.toBe("rejected");
    expect(await exists(stray.name)).toBe(false);
  });
});

describe("onFileDeleted", () => {
  it("removes the record of that generation and its bytes; a late event for an older one spares the newer", async () => {
    const orgId = await seedFilesOrg(env);
    const name = `orgs/${orgId}/files/report.pdf`;
    const old = await put(name, 700);
    await recordUploadedFile(deps(), old);
    await recordUploadedFile(deps(), await put(`orgs/${orgId}/files/other`, 50));
    const current = await put(name, 800);
    await recordUploadedFile(deps(), current);
    expect(await usage(orgId)).toEqual({ storageBytes: 850, files: 2 });

    await expect(forgetDeletedFile(deps(), { name, generation: old.generation })).resolves.toBe("kept");
    expect((await record(orgId, "report.pdf")).get("generation")).toBe(current.generation);
    expect(await usage(orgId)).toEqual({ storageBytes: 850, files: 2 });

    await env.bucket.file(name).delete();
    await expect(forgetDeletedFile(deps(), { name, generation: current.generation })).resolves.toBe(
      "deleted",
    );
    expect((await record(orgId, "report.pdf")).exists).toBe(false);
    expect(await usage(orgId)).toEqual({ storageBytes: 50, files: 1 });
    // Redelivered: nothing left to do.
    await expect(forgetDeletedFile(deps(), { name, generation: current.generation })).resolves.toBe("kept");
    expect(await usage(orgId)).toEqual({ storageBytes: 50, files: 1 });
  });
});

describe("the deployed triggers", () => {
  it("take Storage's event data and keep the record and usage in step; members read both, others cannot", async () => {
    const orgId = await seedFilesOrg(env);
    const object = await put(`orgs/${orgId}/files/deck.pdf`, 10);
    const data = {
      bucket: env.bucketName,
      name: object.name,
      size: String(object.size),
      generation: object.generation,
      contentType: "application/pdf",
      metadata: { uploadedBy: "ann" },
    };
    await env.fft.wrap(onFileUploaded)({ data } as never);
    expect((await record(orgId, "deck.pdf")).get("uploadedBy")).toBe("ann");
    expect(await usage(orgId)).toEqual({ storageBytes: 10, files: 1 });
    const read = (uid: string, path: string) =>
      getDoc(doc(env.rules.authenticatedContext(uid).firestore(), path));
    for (const path of [`orgs/${orgId}/files/deck.pdf`, `orgs/${orgId}/usage/storage`]) {
      await assertSucceeds(read("val", path));
      await assertFails(read("mallory", path));
    }

    await env.bucket.file(object.name).delete();
    await env.fft.wrap(onFileDeleted)({ data } as never);
    expect((await record(orgId, "deck.pdf")).exists).toBe(false);
    expect(await usage(orgId)).toEqual({ storageBytes: 0, files: 0 });
  });
});
