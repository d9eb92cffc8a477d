/** The one place that turns emulator errors into gRPC statuses. Unknown failures become INTERNAL. */
import { status as GrpcStatus, Metadata, type ServiceError } from "@grpc/grpc-js";
import { isEmulatorError, STATUS_NUMBER } from "../../shared/errors.js";
import type { Logger } from "../../shared/log.js";

export function toServiceError(error: unknown, log: Logger): Partial<ServiceError> {
  if (isEmulatorError(error))
    return {
      code: STATUS_NUMBER[error.code] as GrpcStatus,
      details: error.message,
      metadata: new Metadata(),
    };
  log.error(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { code: GrpcStatus.INTERNAL, details: "Internal emulator error.", metadata: new Metadata() };
}
