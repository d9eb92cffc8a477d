/** The one place that turns emulator errors into gRPC statuses. Unknown failures become INTERNAL. */
import { status as GrpcStatus, Metadata, type ServiceError } from "@grpc/grpc-js";
import { type EmulatorErrorCode, isEmulatorError } from "../../shared/errors.js";
import type { Logger } from "../../shared/log.js";

const CODES: Record<EmulatorErrorCode, GrpcStatus> = {
  INVALID_ARGUMENT: GrpcStatus.INVALID_ARGUMENT,
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  ALREADY_EXISTS: GrpcStatus.ALREADY_EXISTS,
  PERMISSION_DENIED: GrpcStatus.PERMISSION_DENIED,
  RESOURCE_EXHAUSTED: GrpcStatus.RESOURCE_EXHAUSTED,
  FAILED_PRECONDITION: GrpcStatus.FAILED_PRECONDITION,
  ABORTED: GrpcStatus.ABORTED,
  UNIMPLEMENTED: GrpcStatus.UNIMPLEMENTED,
  INTERNAL: GrpcStatus.INTERNAL,
};

export function grpcCode(code: EmulatorErrorCode): GrpcStatus {
  return CODES[code];
}

export function toServiceError(error: unknown, log: Logger): Partial<ServiceError> {
  if (isEmulatorError(error))
    return { code: CODES[error.code], details: error.message, metadata: new Metadata() };
  log.error(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { code: GrpcStatus.INTERNAL, details: "Internal emulator error.", metadata: new Metadata() };
}
