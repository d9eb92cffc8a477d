/**
 * Objects on disk: content in `blobs/` (one file per generation), metadata as one JSON file per object in
 * `objects/`, and an in-memory index loaded at open. Metadata files are replaced by rename, so a crash
 * leaves either the old or the new object. Without a data directory a temporary one is used and removed
 * on close.
 */
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, type ReadStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobWriter } from "./blob.js";
import type { StoredObject } from "./object.js";

const keyOf = (bucket: string, name: string) =>
  createHash("sha256").update(bucket).update("\0").update(name).digest("hex");

export class ObjectStore {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  /** Writes run one at a time, so two uploads of one name cannot both miss the other's blob. */
  private writes: Promise<unknown> = Promise.resolve();

  private serially<T>(write: () => Promise<T>): Promise<T> {
    const result = this.writes.then(write);
    this.writes = result.catch(() => undefined);
    return result;
  }

  private constructor(
    readonly dir: string,
    private readonly temporary: boolean,
  ) {}

  static async open(dataDir: string | undefined): Promise<ObjectStore> {
    const dir = dataDir ?? (await mkdtemp(join(tmpdir(), "hearth-storage-")));
    const store = new ObjectStore(dir, dataDir === undefined);
    await Promise.all(["blobs", "objects", "uploads"].map((d) => mkdir(join(dir, d), { recursive: true })));
    // Unfinished uploads do not survive a restart (their sessions lived in memory).
    await rm(join(dir, "uploads"), { recursive: true, force: true });
    await mkdir(join(dir, "uploads"));
    for (const file of await readdir(join(dir, "objects"))) {
      if (!file.endsWith(".json")) continue;
      const object = JSON.parse(await readFile(join(dir, "objects", file), "utf8")) as StoredObject;
      store.index(object);
    }
    return store;
  }

  private index(object: StoredObject): void {
    let bucket = this.buckets.get(object.bucket);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(object.bucket, bucket);
    }
    bucket.set(object.name, object);
  }

  /** A writer for new content; `blob` names it in `put` once the upload is accepted. */
  newBlob(): { blob: string; writer: BlobWriter } {
    const blob = randomUUID();
    return { blob, writer: new BlobWriter(join(this.dir, "uploads", blob)) };
  }

  get(bucket: string, name: string): StoredObject | null {
    return this.buckets.get(bucket)?.get(name) ?? null;
  }

  /** Objects whose names start with `prefix`, sorted by name. */
  list(bucket: string, prefix: string): StoredObject[] {
    const out: StoredObject[] = [];
    for (const o of this.buckets.get(bucket)?.values() ?? []) if (o.name.startsWith(prefix)) out.push(o);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Stores an object whose content was written through `newBlob` (or reuses the current blob). `guard`
   * sees the object it replaces, in turn with other writes, and may refuse by throwing.
   */
  put(
    object: StoredObject,
    uploaded: boolean,
    guard?: (current: StoredObject | null) => void,
  ): Promise<void> {
    return this.serially(async () => {
      const previous = this.get(object.bucket, object.name);
      guard?.(previous);
      if (uploaded)
        await rename(join(this.dir, "uploads", object.blob), join(this.dir, "blobs", object.blob));
      const file = join(this.dir, "objects", `${keyOf(object.bucket, object.name)}.json`);
      await writeFile(`${file}.tmp`, JSON.stringify(object));
      await rename(`${file}.tmp`, file);
      this.index(object);
      if (previous && previous.blob !== object.blob) await rm(this.blobPath(previous), { force: true });
    });
  }

  /** Removes the object unless it was replaced meanwhile (then the newer one stays). */
  delete(object: StoredObject): Promise<void> {
    return this.serially(async () => {
      if (this.get(object.bucket, object.name)?.blob === object.blob) await this.remove(object);
    });
  }

  private async remove(object: StoredObject): Promise<void> {
    this.buckets.get(object.bucket)?.delete(object.name);
    await rm(join(this.dir, "objects", `${keyOf(object.bucket, object.name)}.json`), { force: true });
    await rm(this.blobPath(object), { force: true });
  }

  /** Every object of every bucket (reset). */
  clear(): Promise<void> {
    return this.serially(async () => {
      const all = [...this.buckets.values()].flatMap((b) => [...b.values()]);
      for (const o of all) await this.remove(o);
    });
  }

  read(object: StoredObject, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.blobPath(object), range);
  }

  private blobPath(object: StoredObject): string {
    return join(this.dir, "blobs", object.blob);
  }

  async close(): Promise<void> {
    if (this.temporary) await rm(this.dir, { recursive: true, force: true });
  }
}
