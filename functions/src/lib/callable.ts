import { type CallableOptions, type CallableRequest, onCall } from "firebase-functions/https";
import type { z } from "zod";
import { AppError, toHttpsError } from "./errors.js";
import { logFailure } from "./logging.js";
import { parseInput } from "./validate.js";

/** Default runtime options for every callable. */
export const CALLABLE_DEFAULTS: CallableOptions = { region: "us-central1", cors: true };

/**
 * Wraps a handler as a callable: input validated with `schema` (`invalid-argument` with field details),
 * expected failures answered with their code, anything else logged and answered as an opaque `internal`.
 */
export function defineCallable<S extends z.ZodType, R>(
  name: string,
  schema: S,
  handler: (input: z.infer<S>, request: CallableRequest<unknown>) => Promise<R>,
  options: CallableOptions = {},
) {
  return onCall({ ...CALLABLE_DEFAULTS, ...options }, async (request) => {
    try {
      return await handler(parseInput(schema, request.data), request);
    } catch (err) {
      if (!(err instanceof AppError) || err.code === "internal") logFailure(`${name}.failed`, err);
      throw toHttpsError(err);
    }
  });
}
