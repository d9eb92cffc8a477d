import type { HearthErrorDetails } from "@hearth/schema";
import { HttpsError } from "firebase-functions/https";

/**
 * Error codes a callable may answer with. They are the callable protocol's codes, so frontends branch on
 * `error.code` from the Firebase SDK; `reason` narrows them (for example `seat-limit`).
 */
export const APP_ERROR_CODES = [
  "invalid-argument",
  "unauthenticated",
  "permission-denied",
  "not-found",
  "already-exists",
  "failed-precondition",
  "resource-exhausted",
  "aborted",
  "unavailable",
  "deadline-exceeded",
  "internal",
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/** Details sent to the client. Never put secrets, ids of other tenants or stack traces here. */
/** A reason and its details from the contract's closed list (schema/src/api/errors.ts), or none. */
export type AppErrorDetails = HearthErrorDetails | Record<string, never>;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: AppErrorDetails = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** gRPC ABORTED from Firestore: a transaction still lost to concurrent writes after the SDK's retries. */
const GRPC_ABORTED = 10;

/**
 * Turns anything thrown by a handler into the HttpsError a client may see; unknown errors stay opaque. A
 * transaction that kept losing races is `aborted` / `contention` (nothing was written; retrying is right).
 */
export function toHttpsError(err: unknown): HttpsError {
  if (err instanceof HttpsError) return err;
  if (err instanceof AppError) return new HttpsError(err.code, err.message, err.details);
  if ((err as { code?: unknown } | null)?.code === GRPC_ABORTED) {
    return new HttpsError("aborted", "Too many changes at once. Try again.", { reason: "contention" });
  }
  return new HttpsError("internal", "Internal error.");
}
