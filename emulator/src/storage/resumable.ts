/**
 * Resumable upload sessions, shared by the Firebase (X-Goog-Upload-*) and Cloud Storage (Content-Range)
 * protocols: the target is judged at start from the declared size, each request body is appended to the
 * session's blob as it streams, and finalizing stores the object through the service. Sessions live in
 * memory until finalized or cancelled; their partial content in the store's uploads folder.
 */
import type { BlobWriter } from "./blob.js";
import { StorageError } from "./errors.js";
import type { StoredObject } from "./object.js";
import { newToken, type StorageService, type UploadTarget } from "./service.js";

export interface UploadSession {
  readonly id: string;
  readonly target: UploadTarget;
  readonly declaredSize: number | undefined;
  readonly blob: string;
  readonly writer: BlobWriter;
  busy: boolean;
}

export class ResumableUploads {
  private readonly sessions = new Map<string, UploadSession>();

  constructor(private readonly service: StorageService) {}

  start(target: UploadTarget, declaredSize: number | undefined): UploadSession {
    this.service.precheck(target, declaredSize);
    const { blob, writer } = this.service.store.newBlob();
    const session: UploadSession = { id: newToken(), target, declaredSize, blob, writer, busy: false };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string): UploadSession {
    const session = this.sessions.get(id);
    if (!session) throw new StorageError("not-found", `No upload session ${id}.`);
    return session;
  }

  /**
   * Appends a request body that starts at `offset` of the object. Bytes already received are skipped
   * (a retried chunk); a gap is refused.
   */
  async append(session: UploadSession, body: AsyncIterable<Uint8Array>, offset: number): Promise<void> {
    if (offset > session.writer.size) {
      throw new StorageError(
        "invalid-argument",
        `Upload offset ${offset} is past the ${session.writer.size} bytes received.`,
      );
    }
    if (session.busy) throw new StorageError("invalid-argument", "Another request is writing this upload.");
    session.busy = true;
    try {
      await session.writer.append(body, session.writer.size - offset);
    } finally {
      session.busy = false;
    }
    if (session.declaredSize !== undefined && session.writer.size > session.declaredSize) {
      await this.cancel(session);
      throw new StorageError(
        "invalid-argument",
        `The upload is larger than its declared ${session.declaredSize} bytes.`,
      );
    }
  }

  /** Stores the object (or refuses it and discards the content); the session ends either way. */
  async finalize(session: UploadSession): Promise<StoredObject> {
    if (session.declaredSize !== undefined && session.writer.size !== session.declaredSize) {
      throw new StorageError(
        "invalid-argument",
        `Received ${session.writer.size} bytes, but the upload declared ${session.declaredSize}.`,
      );
    }
    this.sessions.delete(session.id);
    return this.service.finish(session.target, session.blob, session.writer);
  }

  async cancel(session: UploadSession): Promise<void> {
    this.sessions.delete(session.id);
    await session.writer.discard();
  }
}
