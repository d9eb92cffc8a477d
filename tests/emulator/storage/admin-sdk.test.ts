/**
 * firebase-admin's `getStorage().bucket()` (@google-cloud/storage) against the Storage emulator through
 * FIREBASE_STORAGE_EMULATOR_HOST: server calls bypass the rules, and objects written by either SDK are
 * seen by the other.
 */
import { createHash } from "node:crypto";
import { getBytes, getMetadata, ref, uploadString } from "firebase/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminBucket, type StorageTestEmulator, startStorageEmulator, webStorage } from "./helpers.js";

// Closed to every client: only the server SDK gets through.
const RULES = `rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /shared/{file} { allow read: if request.auth != null; allow write: if request.auth != null; }
  }
}`;

let emu: StorageTestEmulator;
let admin: ReturnType<typeof adminBucket>;

beforeAll(async () => {
  emu = await startStorageEmulator({ rulesSource: RULES });
  admin = adminBucket(emu);
});

afterAll(async () => {
  await admin.close();
  await emu.stop();
});

const md5 = (data: Buffer | string) => createHash("md5").update(data).digest("base64");

describe("firebase-admin bucket()", () => {
  it("save (resumable and simple), download, getMetadata, exists", async () => {
    const file = admin.bucket.file("reports/2026/q1.csv");
    await file.save("a,b\n1,2\n", { contentType: "text/csv", metadata: { metadata: { owner: "ops" } } });
    const [meta] = await file.getMetadata();
    expect(meta).toMatchObject({
      name: "reports/2026/q1.csv",
      bucket: emu.bucket,
      size: "8",
      contentType: "text/csv",
      md5Hash: md5("a,b\n1,2\n"),
      metadata: { owner: "ops" },
    });
    expect((await file.download())[0].toString()).toBe("a,b\n1,2\n");
    expect((await file.exists())[0]).toBe(true);
    expect((await admin.bucket.file("reports/none.csv").exists())[0]).toBe(false);

    const simple = admin.bucket.file("reports/simple.bin");
    const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 256));
    await simple.save(data, { resumable: false, contentType: "application/octet-stream" });
    const [back] = await simple.download();
    expect(back.equals(data)).toBe(true);
    expect((await simple.getMetadata())[0].md5Hash).toBe(md5(data));
  });

  it("a chunked resumable upload (Content-Range per chunk, 308 between) arrives whole", async () => {
    const data = Buffer.from(Array.from({ length: 3 * 256 * 1024 + 1000 }, (_, i) => (i * 13) % 256));
    const file = admin.bucket.file("chunks/c.bin");
    await new Promise<void>((resolve, reject) => {
      const stream = file.createWriteStream({ resumable: true, chunkSize: 256 * 1024 });
      stream.on("error", reject).on("finish", resolve);
      stream.end(data);
    });
    const [meta] = await file.getMetadata();
    expect(meta.md5Hash).toBe(md5(data));
    expect((await file.download())[0].equals(data)).toBe(true);
  });

  it("setMetadata patches custom metadata (null removes a key) and contentType", async () => {
    const file = admin.bucket.file("meta/m.txt");
    await file.save("m", { metadata: { metadata: { a: "1", b: "2" } } });
    const [updated] = await file.setMetadata({ contentType: "text/plain", metadata: { a: null, c: "3" } });
    expect(updated.metadata).toMatchObject({ b: "2", c: "3" });
    expect(updated.metadata?.a).toBeUndefined();
    expect(updated.contentType).toBe("text/plain");
    expect(updated.metageneration).toBe("2");
  });

  it("generation preconditions: create-only saves, and deletes and patches of a given version", async () => {
    const file = admin.bucket.file("pre/once.txt");
    await file.save("first", { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    await expect(
      file.save("second", { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }),
    ).rejects.toMatchObject({ code: 412 });
    await expect(
      file.save("second", { resumable: true, preconditionOpts: { ifGenerationMatch: 0 } }),
    ).rejects.toMatchObject({ code: 412 });
    const [meta] = await file.getMetadata();
    await expect(
      file.setMetadata({ metadata: { a: "1" } }, { ifMetagenerationMatch: 7 }),
    ).rejects.toMatchObject({
      code: 412,
    });
    await expect(file.delete({ ifGenerationMatch: 1 })).rejects.toMatchObject({ code: 412 });
    expect((await file.download())[0].toString()).toBe("first");
    await file.delete({ ifGenerationMatch: Number(meta.generation) });
    expect((await file.exists())[0]).toBe(false);
  });

  it("getFiles with a prefix, a delimiter and pages; delete and deleteFiles", async () => {
    for (const n of ["1", "2", "3", "4"]) await admin.bucket.file(`pages/p${n}.txt`).save(n);
    await admin.bucket.file("pages/nested/x.txt").save("x");
    const [all] = await admin.bucket.getFiles({ prefix: "pages/" });
    expect(all.map((f) => f.name)).toEqual([
      "pages/nested/x.txt",
      "pages/p1.txt",
      "pages/p2.txt",
      "pages/p3.txt",
      "pages/p4.txt",
    ]);
    const [page, next] = await admin.bucket.getFiles({
      prefix: "pages/",
      maxResults: 2,
      autoPaginate: false,
    });
    expect(page.map((f) => f.name)).toEqual(["pages/nested/x.txt", "pages/p1.txt"]);
    expect(next).toMatchObject({ pageToken: expect.any(String) });
    const [, , response] = await admin.bucket.getFiles({
      prefix: "pages/",
      delimiter: "/",
      autoPaginate: false,
    });
    expect((response as { prefixes?: string[] }).prefixes).toEqual(["pages/nested/"]);

    await admin.bucket.file("pages/p1.txt").delete();
    expect((await admin.bucket.file("pages/p1.txt").exists())[0]).toBe(false);
    await expect(admin.bucket.file("pages/p1.txt").delete()).rejects.toMatchObject({ code: 404 });
    await expect(admin.bucket.getFiles({ prefix: "pages/", matchGlob: "**.txt" })).rejects.toMatchObject({
      code: 501,
      message: "The emulator does not support matchGlob.",
    });
    await admin.bucket.deleteFiles({ prefix: "pages/" });
    expect((await admin.bucket.getFiles({ prefix: "pages/" }))[0]).toEqual([]);
  });

  it("objects cross between the admin and web SDKs; the server bypasses rules, clients do not", async () => {
    await admin.bucket.file("private/server-only.txt").save("server");
    const web = webStorage(emu, { uid: "u1" });
    try {
      await expect(getBytes(ref(web.storage, "private/server-only.txt"))).rejects.toMatchObject({
        code: "storage/unauthorized",
      });
      await uploadString(ref(web.storage, "shared/from-web.txt"), "web");
      expect((await admin.bucket.file("shared/from-web.txt").download())[0].toString()).toBe("web");
      await admin.bucket.file("shared/from-admin.txt").save("admin");
      expect((await getMetadata(ref(web.storage, "shared/from-admin.txt"))).size).toBe(5);
    } finally {
      await web.close();
    }
  });
});
