/**
 * The parts of an upload request both APIs share: a one-request upload's metadata, content type and
 * content (multipart, or a raw body), and a resumable start's metadata and declared size.
 */
import type { IncomingMessage } from "node:http";
import { invalid } from "../errors.js";
import { boundaryOf, readMultipart } from "../multipart.js";
import { decodeMetadata, type MetadataPatch } from "../object.js";
import { header, readJson } from "./io.js";

export interface OneRequestUpload {
  patch: MetadataPatch;
  mediaType: string | undefined;
  media: AsyncIterable<Buffer>;
}

/** A multipart/related body (metadata part, then media), or a raw body typed by its Content-Type. */
export async function readOneRequestUpload(
  req: IncomingMessage,
  multipart: boolean,
): Promise<OneRequestUpload> {
  const contentType = header(req, "content-type");
  const body = req as AsyncIterable<Buffer>;
  if (!multipart) return { patch: decodeMetadata(undefined), mediaType: contentType, media: body };
  const boundary = boundaryOf(contentType);
  if (boundary === null) throw invalid("A multipart upload needs a multipart/related boundary.");
  const parts = await readMultipart(body, boundary);
  return { patch: decodeMetadata(parts.metadata), mediaType: parts.contentType, media: parts.media };
}

/** A resumable start: JSON metadata in the body, the object's size (if declared) in `sizeHeader`. */
export async function readResumableStart(
  req: IncomingMessage,
  sizeHeader: string,
): Promise<{ patch: MetadataPatch; declaredSize: number | undefined }> {
  const patch = decodeMetadata(await readJson(req));
  const declared = header(req, sizeHeader);
  const declaredSize = declared === undefined ? undefined : Number(declared);
  if (declaredSize !== undefined && (!Number.isSafeInteger(declaredSize) || declaredSize < 0)) {
    throw invalid(`${sizeHeader} must be a byte count.`);
  }
  return { patch, declaredSize };
}
