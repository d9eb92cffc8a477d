import type { ErrorCode, HearthErrorDetails } from "@hearth/schema";
import { HttpsError } from "firebase-functions/https";

/**
 * Error codes a callable may answer with: the callable protocol's codes, from the contract
 * (schema/src/api/errors.ts), so frontends branch on `error.code`; `reason` narrows them.
 */
export type AppErrorCode = ErrorCode;

/**
 * Details sent to the client: a reason and its details from the contract's closed list, or none. Never
 * put secrets, ids of other tenants or stack traces here.
 */
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
