import { describe, expect, it } from "vitest";
import { StorageError } from "./errors.js";
import { boundaryOf, readMultipart } from "./multipart.js";

const BOUNDARY = "b0undary";

function body(metadata: string, media: Buffer, contentType = "image/png"): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/json; charset=utf-8\r\n\r\n${metadata}\r\n`),
    Buffer.from(`--${BOUNDARY}\r\nContent-Type: ${contentType}\r\n\r\n`),
    media,
    Buffer.from(`\r\n--${BOUNDARY}--`),
  ]);
}

/** Feeds `data` in chunks of `size` bytes, as a socket would. */
async function* chunks(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function collect(media: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of media) parts.push(part);
  return Buffer.concat(parts);
}

describe("readMultipart", () => {
  // The media holds CRLFs, a near-delimiter and the boundary without its leading CRLF: only the real
  // closing delimiter may end it.
  const media = Buffer.from(`line1\r\n--b0undar\r\nline2 --${BOUNDARY} inline\r\n-`);

  it.each([1, 2, 7, 13, 64, 4096])(
    "splits metadata from media whatever the chunk size (%i)",
    async (size) => {
      const parts = await readMultipart(chunks(body('{"name":"a/b.png"}', media), size), BOUNDARY);
      expect(parts.metadata).toEqual({ name: "a/b.png" });
      expect(parts.contentType).toBe("image/png");
      expect((await collect(parts.media)).equals(media)).toBe(true);
    },
  );

  it("reads the boundary from the Content-Type, quoted or not", () => {
    expect(boundaryOf("multipart/related; boundary=abc")).toBe("abc");
    expect(boundaryOf('multipart/related; boundary="a b"')).toBe("a b");
    expect(boundaryOf("multipart/form-data; boundary=abc")).toBeNull();
    expect(boundaryOf(undefined)).toBeNull();
  });

  it("refuses bad metadata JSON and a body without its closing boundary, as invalid-argument", async () => {
    await expect(readMultipart(chunks(body("{nope", media), 16), BOUNDARY)).rejects.toMatchObject({
      code: "invalid-argument",
    });
    const cut = body("{}", media).subarray(0, -8);
    const parts = await readMultipart(chunks(cut, 16), BOUNDARY);
    await expect(collect(parts.media)).rejects.toBeInstanceOf(StorageError);
    await expect(readMultipart(chunks(Buffer.from("no parts here"), 4), BOUNDARY)).rejects.toMatchObject({
      code: "invalid-argument",
    });
  });
});
