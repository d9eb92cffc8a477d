import { type CallableOptions, type CallableRequest, onCall } from "firebase-functions/https";
import type { z } from "zod";
import { checkAppCheck } from "./app-check.js";
import { AppError, toHttpsError } from "./errors.js";
import { logFailure } from "./logging.js";
import { ENFORCE_APP_CHECK } from "./params.js";
import { REGION } from "./runtime.js";
import { parseInput } from "./validate.js";

/** Runtime options a callable may set; region and App Check are decided here for all of them. */
export interface CallableSettings
  extends Omit<CallableOptions, "region" | "enforceAppCheck" | "consumeAppCheckToken"> {
  /** Consume the App Check token on each call and refuse a replayed one (money and AI endpoints). */
  replayProtected?: boolean;
}

/**
 * Wraps a handler as a callable: App Check checked when ENFORCE_APP_CHECK is true, input validated with
 * `schema` (`invalid-argument` with field details), expected failures answered with their code, anything
 * else logged and answered as an opaque `internal`.
 */
export function defineCallable<S extends z.ZodType, R>(
  name: string,
  schema: S,
  handler: (input: z.infer<S>, request: CallableRequest<unknown>) => Promise<R>,
  { replayProtected = false, ...options }: CallableSettings = {},
) {
  return onCall(
    { region: REGION, cors: true, ...options, consumeAppCheckToken: replayProtected },
    async (request) => {
      try {
        // Not the platform's enforceAppCheck option: that answers a bare `unauthenticated`, which a client
        // cannot tell from a missing sign-in, and reads the param while the module loads, deploy included.
        checkAppCheck(request.app, { enforced: ENFORCE_APP_CHECK.value(), replayProtected });
        return await handler(parseInput(schema, request.data), request);
      } catch (err) {
        if (!(err instanceof AppError) || err.code === "internal") logFailure(`${name}.failed`, err);
        throw toHttpsError(err);
      }
    },
  );
}
