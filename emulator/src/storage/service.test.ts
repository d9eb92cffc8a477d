import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "../shared/clock.js";
import { silentLogger } from "../shared/log.js";
import { decodeMetadata } from "./object.js";
import { ADMIN, type Caller, StorageSecurity } from "./security.js";
import { StorageService } from "./service.js";
import { ObjectStore } from "./store.js";
import { StorageTriggers } from "./triggers.js";

const RULES = `rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /{file=**} {
      allow read;
      allow write: if request.resource.size <= 4;
    }
  }
}`;

const BUCKET = "demo.appspot.com";
const user: Caller = { admin: false, auth: { uid: "u", token: {} } };

let store: ObjectStore;
let service: StorageService;

async function* bytes(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

const put = (name: string, text = "x", caller: Caller = ADMIN, metadata?: unknown) =>
  service.upload({ caller, bucket: BUCKET, name, patch: decodeMetadata(metadata) }, bytes(text));

beforeEach(async () => {
  store = await ObjectStore.open(undefined);
  const clock = new FakeClock();
  const security = await StorageSecurity.create(
    { source: RULES, fileName: "storage.rules" },
    { firestore: () => ({ get: () => null }), clock, log: silentLogger },
  );
  service = new StorageService(
    store,
    security,
    new StorageTriggers(undefined, () => "", silentLogger),
    clock,
  );
});

afterEach(async () => {
  await store.close();
});

describe("StorageService.list", () => {
  it("pages through items and prefixes together, in name order, with opaque tokens", async () => {
    for (const name of ["d/a", "d/b", "d/s/1", "d/s/2", "d/t/1", "d/z", "e/a"]) await put(name);
    const page = (pageToken?: string) =>
      service.list({ caller: ADMIN, bucket: BUCKET, prefix: "d/", delimiter: "/", maxResults: 2, pageToken });
    const p1 = page();
    expect([p1.items.map((o) => o.name), p1.prefixes]).toEqual([["d/a", "d/b"], []]);
    const p2 = page(p1.nextPageToken);
    expect([p2.items.map((o) => o.name), p2.prefixes]).toEqual([[], ["d/s/", "d/t/"]]);
    const p3 = page(p2.nextPageToken);
    expect([p3.items.map((o) => o.name), p3.prefixes, p3.nextPageToken]).toEqual([["d/z"], [], undefined]);
    const flat = service.list({
      caller: ADMIN,
      bucket: BUCKET,
      prefix: "d/s",
      delimiter: "",
      maxResults: 10,
    });
    expect(flat.items.map((o) => o.name)).toEqual(["d/s/1", "d/s/2"]);
    expect(() => page("not a token!")).toThrow(/Invalid page token/);
  });
});

describe("StorageService uploads and metadata", () => {
  it("a refused upload stores nothing and leaves the previous object in place", async () => {
    await put("f", "ok", user);
    await expect(put("f", "too long", user)).rejects.toMatchObject({ code: "permission-denied" });
    const kept = service.get(user, BUCKET, "f");
    expect(kept.size).toBe(2);
    // The server bypasses rules.
    expect((await put("f", "too long")).size).toBe(8);
  });

  it("a patch sets, keeps and removes fields; the download token survives clearing custom metadata", async () => {
    const created = await put("m", "x", ADMIN, { contentType: "text/plain", metadata: { a: "1", b: "2" } });
    const token = created.metadata.firebaseStorageDownloadTokens;
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const patched = await service.update(
      ADMIN,
      BUCKET,
      "m",
      decodeMetadata({ metadata: { a: null, c: "3" } }),
    );
    expect(patched.metadata).toEqual({ b: "2", c: "3", firebaseStorageDownloadTokens: token });
    expect(patched.contentType).toBe("text/plain");
    const cleared = await service.update(
      ADMIN,
      BUCKET,
      "m",
      decodeMetadata({ metadata: null, contentType: null }),
    );
    expect(cleared.metadata).toEqual({ firebaseStorageDownloadTokens: token });
    expect(cleared.contentType).toBe("application/octet-stream");
    expect(cleared.metageneration).toBe(3);
    expect(service.forDownload(user, BUCKET, "m", token).name).toBe("m");
    expect(() => service.forDownload(user, BUCKET, "m", "nope")).toThrow(/Invalid download token/);
  });

  it("metadata that is not of the right shape is refused before anything changes", () => {
    expect(() => decodeMetadata({ contentType: 3 })).toThrow(/contentType must be a string/);
    expect(() => decodeMetadata({ metadata: { a: { nested: true } } })).toThrow(/must be a string or null/);
    expect(() => decodeMetadata([1])).toThrow(/must be a JSON object/);
  });

  it("missing objects are not-found for reads, patches and deletes", async () => {
    expect(() => service.get(ADMIN, BUCKET, "none")).toThrow(/does not exist/);
    await expect(service.update(ADMIN, BUCKET, "none", decodeMetadata({}))).rejects.toMatchObject({
      code: "not-found",
    });
    await expect(service.delete(ADMIN, BUCKET, "none")).rejects.toMatchObject({ code: "not-found" });
  });
});
