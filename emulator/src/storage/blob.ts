/**
 * Writes uploaded content to a file as it arrives, hashing it on the way (MD5 and CRC-32C), so an upload
 * never sits in memory whole. A resumable upload appends several request bodies to one writer.
 */
import { createHash, type Hash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Crc32c } from "./crc32c.js";

export interface BlobDigest {
  size: number;
  md5Hash: string;
  crc32c: string;
}

export class BlobWriter {
  private readonly md5: Hash = createHash("md5");
  private readonly crc = new Crc32c();
  private written = 0;

  constructor(readonly path: string) {}

  get size(): number {
    return this.written;
  }

  /**
   * Appends a stream of bytes, skipping its first `skip` bytes (a retried chunk that overlaps what was
   * already received). Resolves with the number of bytes appended.
   */
  async append(source: AsyncIterable<Uint8Array>, skip = 0): Promise<number> {
    let toSkip = skip;
    let appended = 0;
    const hash = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        let data = chunk;
        if (toSkip > 0) {
          const cut = Math.min(toSkip, data.length);
          toSkip -= cut;
          data = data.subarray(cut);
        }
        if (data.length > 0) {
          this.md5.update(data);
          this.crc.update(data);
          appended += data.length;
        }
        done(null, data);
      },
    });
    await pipeline(source, hash, createWriteStream(this.path, { flags: this.written === 0 ? "w" : "a" }));
    this.written += appended;
    return appended;
  }

  /** The digest of everything appended; the writer must not be used after. */
  finish(): BlobDigest {
    return { size: this.written, md5Hash: this.md5.digest("base64"), crc32c: this.crc.base64() };
  }

  async discard(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
