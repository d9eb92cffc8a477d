/**
 * The web SDK (firebase/storage in Node) against the Storage emulator: every upload kind, downloads and
 * download URLs, metadata, listing with pages, delete, and the errors the SDK turns into codes.
 */
import { createHash } from "node:crypto";
import {
  deleteObject,
  getBytes,
  getDownloadURL,
  getMetadata,
  list,
  listAll,
  ref,
  type StorageError,
  updateMetadata,
  uploadBytes,
  uploadBytesResumable,
  uploadString,
} from "firebase/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StorageTestEmulator, startStorageEmulator, type WebStorage, webStorage } from "./helpers.js";

const RULES = `rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /users/{uid}/{file=**} {
      allow read, write: if request.auth != null && request.auth.uid == uid;
    }
    match /public/{file=**} {
      allow read;
      allow create: if request.auth != null && request.resource.size < 1024 * 1024;
      allow update: if request.auth != null && request.resource.metadata.keys().hasOnly(['kind']);
      allow delete: if request.auth != null && resource.metadata.kind == 'scratch';
    }
  }
}`;

let emu: StorageTestEmulator;
let alice: WebStorage;
let bob: WebStorage;
let anon: WebStorage;

beforeAll(async () => {
  emu = await startStorageEmulator({ rulesSource: RULES });
  alice = webStorage(emu, { uid: "alice" });
  bob = webStorage(emu, { uid: "bob" });
  anon = webStorage(emu);
});

afterAll(async () => {
  await Promise.all([alice.close(), bob.close(), anon.close()]);
  await emu.stop();
});

const md5 = (data: Uint8Array | string) => createHash("md5").update(data).digest("base64");
const text = (bytes: ArrayBuffer) => Buffer.from(bytes).toString("utf8");

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as StorageError).code;
  }
  throw new Error("expected the call to fail");
}

describe("uploads and reads", () => {
  it("uploadBytes stores content and metadata; getMetadata and getBytes read them back", async () => {
    const r = ref(alice.storage, "users/alice/notes/a.txt");
    const { metadata } = await uploadBytes(r, new TextEncoder().encode("hello storage"), {
      contentType: "text/plain",
      customMetadata: { kind: "note" },
    });
    expect(metadata).toMatchObject({
      fullPath: "users/alice/notes/a.txt",
      name: "a.txt",
      bucket: emu.bucket,
      size: 13,
      contentType: "text/plain",
      customMetadata: { kind: "note" },
      md5Hash: md5("hello storage"),
      metageneration: "1",
    });
    const read = await getMetadata(r);
    expect(read.generation).toBe(metadata.generation);
    expect(read.timeCreated).toBe(metadata.timeCreated);
    expect(text(await getBytes(r))).toBe("hello storage");
  });

  it("uploadString in every format", async () => {
    const r = ref(alice.storage, "users/alice/strings/s");
    await uploadString(r, "plain ✓");
    expect(text(await getBytes(r))).toBe("plain ✓");
    await uploadString(r, Buffer.from("b64").toString("base64"), "base64");
    expect(text(await getBytes(r))).toBe("b64");
    await uploadString(r, "data:text/csv;base64,YSxiCg==", "data_url");
    expect(text(await getBytes(r))).toBe("a,b\n");
    expect((await getMetadata(r)).contentType).toBe("text/csv");
  });

  it("uploadBytesResumable sends chunks with progress and ends with the object's metadata", async () => {
    const data = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 7) % 251);
    const r = ref(alice.storage, "users/alice/big.bin");
    const task = uploadBytesResumable(r, data, { contentType: "application/octet-stream" });
    const progress: number[] = [];
    task.on("state_changed", (s) => progress.push(s.bytesTransferred));
    const snapshot = await task;
    expect(snapshot.metadata.size).toBe(data.length);
    expect(snapshot.metadata.md5Hash).toBe(md5(data));
    expect(progress.at(-1)).toBe(data.length);
    expect(new Set(progress).size).toBeGreaterThan(2);
    expect(Buffer.from(await getBytes(r)).equals(Buffer.from(data))).toBe(true);
  });

  it("getDownloadURL gives a token URL that downloads without credentials", async () => {
    const r = ref(alice.storage, "users/alice/photo.png");
    await uploadBytes(r, new Uint8Array([137, 80, 78, 71]), { contentType: "image/png" });
    const url = await getDownloadURL(r);
    expect(url).toMatch(
      new RegExp(
        `^http://127\\.0\\.0\\.1:${emu.storagePort}/v0/b/.+/o/users%2Falice%2Fphoto\\.png\\?alt=media&token=`,
      ),
    );
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([137, 80, 78, 71]);
    // Without the token (and without credentials) the rules refuse.
    expect((await fetch(url.replace(/&token=.*/, ""))).status).toBe(403);
    expect((await fetch(url.replace(/token=.*/, "token=wrong"))).status).toBe(403);
    // Once the object is gone its download URL finds nothing.
    await deleteObject(r);
    expect((await fetch(url)).status).toBe(404);
  });

  it("object names keep spaces, unicode and URL-special characters", async () => {
    const name = "users/alice/odd name #1 ü?&%20+.txt";
    const { metadata } = await uploadString(ref(alice.storage, name), "odd");
    expect(metadata.fullPath).toBe(name);
    expect(text(await getBytes(ref(alice.storage, name)))).toBe("odd");
    expect(await (await fetch(await getDownloadURL(ref(alice.storage, name)))).text()).toBe("odd");
    expect((await listAll(ref(alice.storage, "users/alice"))).items.map((i) => i.fullPath)).toContain(name);
  });

  it("concurrent uploads of one name leave one whole object", async () => {
    const r = ref(alice.storage, "users/alice/race.txt");
    const bodies = ["first", "second", "third"];
    await Promise.all(bodies.map((b) => uploadString(r, b)));
    const final = text(await getBytes(r));
    expect(bodies).toContain(final);
    expect((await getMetadata(r)).size).toBe(final.length);
  });

  it("a byte range downloads part of the object", async () => {
    const r = ref(alice.storage, "users/alice/range.txt");
    await uploadString(r, "0123456789");
    const url = await getDownloadURL(r);
    const res = await fetch(url, { headers: { range: "bytes=2-5" } });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe("bytes 2-5/10");
    expect(await res.text()).toBe("2345");
    expect(text(await getBytes(r, 4))).toBe("0123");
  });
});

describe("metadata updates", () => {
  it("updateMetadata sets and removes custom keys (null deletes) and bumps the metageneration", async () => {
    const r = ref(alice.storage, "public/meta.txt");
    await uploadString(r, "m", "raw", { customMetadata: { kind: "a" } });
    const updated = await updateMetadata(r, { customMetadata: { kind: "b" }, cacheControl: "no-store" });
    expect(updated.customMetadata).toEqual({ kind: "b" });
    expect(updated.cacheControl).toBe("no-store");
    expect(updated.metageneration).toBe("2");
    const cleared = await updateMetadata(r, { customMetadata: { kind: null as unknown as string } });
    expect(cleared.customMetadata).toBeUndefined();
    expect(cleared.cacheControl).toBe("no-store");
    // The rules see the object as it would be after the update.
    expect(await codeOf(updateMetadata(r, { customMetadata: { other: "x" } }))).toBe("storage/unauthorized");
    expect((await getMetadata(r)).customMetadata).toBeUndefined();
  });
});

describe("listing", () => {
  it("list pages through items and folder prefixes; listAll gathers every page", async () => {
    const names = ["a", "b", "c", "d", "e"].map((n) => `users/alice/list/${n}.txt`);
    for (const name of names) await uploadString(ref(alice.storage, name), name);
    await uploadString(ref(alice.storage, "users/alice/list/sub/x.txt"), "x");
    await uploadString(ref(alice.storage, "users/alice/list/sub/deeper/y.txt"), "y");
    const folder = ref(alice.storage, "users/alice/list");
    const first = await list(folder, { maxResults: 4 });
    expect(first.items.map((i) => i.fullPath)).toEqual(names.slice(0, 4));
    expect(first.prefixes).toEqual([]);
    expect(first.nextPageToken).toBeTruthy();
    const second = await list(folder, { maxResults: 4, pageToken: first.nextPageToken! });
    expect(second.items.map((i) => i.fullPath)).toEqual([names[4]]);
    expect(second.prefixes.map((p) => p.fullPath)).toEqual(["users/alice/list/sub"]);
    expect(second.nextPageToken).toBeUndefined();
    const all = await listAll(folder);
    expect(all.items.map((i) => i.name)).toEqual(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]);
    expect(all.prefixes.map((p) => p.name)).toEqual(["sub"]);
    expect((await listAll(ref(alice.storage, "users/alice/list/sub"))).prefixes.map((p) => p.name)).toEqual([
      "deeper",
    ]);
  });

  it("listing another user's folder is refused", async () => {
    expect(await codeOf(listAll(ref(bob.storage, "users/alice/list")))).toBe("storage/unauthorized");
  });
});

describe("delete and errors", () => {
  it("deleteObject removes the object; reading it then is object-not-found", async () => {
    const r = ref(alice.storage, "users/alice/gone.txt");
    await uploadString(r, "bye");
    await deleteObject(r);
    expect(await codeOf(getMetadata(r))).toBe("storage/object-not-found");
    expect(await codeOf(getBytes(r))).toBe("storage/object-not-found");
    expect(await codeOf(getDownloadURL(r))).toBe("storage/object-not-found");
    expect(await codeOf(deleteObject(r))).toBe("storage/object-not-found");
  });

  it("reads and writes the rules refuse are storage/unauthorized and change nothing", async () => {
    const r = ref(alice.storage, "users/alice/private.txt");
    await uploadString(r, "secret");
    const asBob = ref(bob.storage, "users/alice/private.txt");
    expect(await codeOf(getBytes(asBob))).toBe("storage/unauthorized");
    expect(await codeOf(getMetadata(asBob))).toBe("storage/unauthorized");
    expect(await codeOf(uploadString(asBob, "overwrite"))).toBe("storage/unauthorized");
    expect(await codeOf(deleteObject(asBob))).toBe("storage/unauthorized");
    expect(await codeOf(uploadString(ref(anon.storage, "public/anon.txt"), "x"))).toBe(
      "storage/unauthorized",
    );
    expect(text(await getBytes(r))).toBe("secret");
  });

  it("request.resource.size is the real size: an oversize upload is refused, resumable too", async () => {
    const big = new Uint8Array(1024 * 1024 + 1);
    expect(await codeOf(uploadBytes(ref(alice.storage, "public/big.bin"), big))).toBe("storage/unauthorized");
    expect(await codeOf(uploadBytesResumable(ref(alice.storage, "public/big2.bin"), big).then())).toBe(
      "storage/unauthorized",
    );
    expect(await codeOf(getMetadata(ref(alice.storage, "public/big.bin")))).toBe("storage/object-not-found");
    // Anyone may read public/, so the missing object is reported as missing, not refused.
    expect(await codeOf(getMetadata(ref(anon.storage, "public/big2.bin")))).toBe("storage/object-not-found");
  });

  it("delete rules see the stored object as resource", async () => {
    await uploadString(ref(alice.storage, "public/keep.txt"), "k", "raw", {
      customMetadata: { kind: "keep" },
    });
    await uploadString(ref(alice.storage, "public/scratch.txt"), "s", "raw", {
      customMetadata: { kind: "scratch" },
    });
    expect(await codeOf(deleteObject(ref(bob.storage, "public/keep.txt")))).toBe("storage/unauthorized");
    await deleteObject(ref(bob.storage, "public/scratch.txt"));
  });
});
