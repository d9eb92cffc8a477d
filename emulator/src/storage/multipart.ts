/**
 * Streaming `multipart/related` uploads (Firebase and Cloud Storage multipart): a JSON metadata part then
 * the media part. The metadata part is read whole (it is small, and capped); the media part is handed on
 * as a stream that ends at the closing boundary, so the content never sits in memory.
 */
import { invalid } from "./errors.js";

const MAX_HEAD_BYTES = 1024 * 1024;

export interface MultipartUpload {
  metadata: unknown;
  /** The media part's Content-Type header, if any. */
  contentType: string | undefined;
  media: AsyncIterable<Buffer>;
}

export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/related\b/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]!) : null;
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * Reads the metadata part and the media part's headers from `body`, and returns the media as a stream.
 * Malformed bodies raise invalid-argument.
 */
export async function readMultipart(body: AsyncIterable<Buffer>, boundary: string): Promise<MultipartUpload> {
  const it = body[Symbol.asyncIterator]();
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // Prefixing CRLF lets the first boundary be found with the same delimiter as the others.
  let buf = Buffer.from("\r\n");
  const need = async (find: Buffer, from: number): Promise<number> => {
    for (;;) {
      const at = buf.indexOf(find, from);
      if (at >= 0) return at;
      if (buf.length > MAX_HEAD_BYTES) throw invalid("Multipart metadata part is too large.");
      const next = await it.next();
      if (next.done) throw invalid("Malformed multipart body.");
      buf = Buffer.concat([buf, next.value]);
    }
  };
  const crlf2 = Buffer.from("\r\n\r\n");
  const first = await need(delimiter, 0);
  const metaHeadEnd = await need(crlf2, first + delimiter.length);
  const metaEnd = await need(delimiter, metaHeadEnd + 4);
  const metaText = buf.subarray(metaHeadEnd + 4, metaEnd).toString("utf8");
  const mediaHeadEnd = await need(crlf2, metaEnd + delimiter.length);
  const mediaHeaders = parseHeaders(buf.subarray(metaEnd + delimiter.length, mediaHeadEnd).toString("utf8"));
  let metadata: unknown;
  try {
    metadata = metaText.trim() === "" ? {} : JSON.parse(metaText);
  } catch {
    throw invalid("The multipart metadata part is not valid JSON.");
  }
  const rest = buf.subarray(mediaHeadEnd + 4);
  return { metadata, contentType: mediaHeaders.get("content-type"), media: mediaUntil(rest, it, delimiter) };
}

async function* mediaUntil(
  start: Buffer,
  it: AsyncIterator<Buffer>,
  delimiter: Buffer,
): AsyncGenerator<Buffer> {
  let pending = start;
  for (;;) {
    const at = pending.indexOf(delimiter);
    if (at >= 0) {
      if (at > 0) yield pending.subarray(0, at);
      // Drain the epilogue so the request completes.
      while (!(await it.next()).done) {}
      return;
    }
    // Keep back what could be the start of a delimiter split across chunks.
    const keep = Math.min(pending.length, delimiter.length - 1);
    if (pending.length > keep) yield pending.subarray(0, pending.length - keep);
    const next = await it.next();
    if (next.done) throw invalid("Multipart body ended before its closing boundary.");
    pending = keep > 0 ? Buffer.concat([pending.subarray(pending.length - keep), next.value]) : next.value;
  }
}
