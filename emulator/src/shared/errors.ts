/** Emulator errors: a stable code from a closed set plus a message for people. Transports map codes to statuses. */

export const EMULATOR_ERROR_CODES = [
  "INVALID_ARGUMENT",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "UNIMPLEMENTED",
  "INTERNAL",
] as const;

export type EmulatorErrorCode = (typeof EMULATOR_ERROR_CODES)[number];

/** The numeric gRPC status of each code, for statuses carried inside messages (BatchWrite, Listen causes). */
export const STATUS_NUMBER: Record<EmulatorErrorCode, number> = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
};

export class EmulatorError extends Error {
  constructor(
    readonly code: EmulatorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "EmulatorError";
  }
}

export function invalidArgument(message: string): EmulatorError {
  return new EmulatorError("INVALID_ARGUMENT", message);
}

export function isEmulatorError(error: unknown): error is EmulatorError {
  return error instanceof EmulatorError;
}
