import * as logger from "firebase-functions/logger";

/** One structured log line per outcome: a short event name plus fields. Never pass secrets here. */
export function logEvent(event: string, fields: Record<string, unknown> = {}): void {
  logger.info(event, { event, ...fields });
}

export function logFailure(event: string, err: unknown, fields: Record<string, unknown> = {}): void {
  const error = err instanceof Error ? { name: err.name, message: err.message } : { message: String(err) };
  logger.error(event, { event, error, ...fields });
}
