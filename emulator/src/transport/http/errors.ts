import type { EmulatorErrorCode } from "../../shared/errors.js";

/** The HTTP side's one error type; the server turns it (and emulator errors) into a JSON error response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The google.rpc status name the web SDK maps to an error code (e.g. `UNIMPLEMENTED`). */
    readonly rpcStatus?: EmulatorErrorCode,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** HTTP statuses for emulator error codes, as Firestore's REST API answers them. */
export const HTTP_STATUS: Record<EmulatorErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
};
