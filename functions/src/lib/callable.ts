import { type CallableOptions, onCall } from "firebase-functions/https";
import type { z } from "zod";
import { checkAppCheck } from "./app-check.js";
import { type UndecodableProblem, undecodable } from "./decodable.js";
import { AppError, toHttpsError } from "./errors.js";
import { type Caller, requireAuth } from "./guards.js";
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

/** Requests whose `data` firebase-functions could not decode, and why; see guardDecoding. */
const undecodableRequests = new WeakMap<object, UndecodableProblem>();

type HttpHandler = (req: { body?: unknown }, res: unknown) => unknown;

/**
 * Runs before onCall's own request handler: a body the decoder would fail on (lib/decodable.ts) has its
 * `data` replaced by null and the request remembered, so the call still passes through CORS, sign-in and
 * App Check as usual and the handler answers `invalid-argument` / `undecodable`. The returned function
 * carries onCall's properties (`__endpoint`, `__trigger`, `run`, ...), which `firebase deploy`, the
 * Functions emulator and firebase-functions-test read.
 */
function guardDecoding<F extends (req: never, res: never) => unknown>(handler: F): F {
  const guarded: HttpHandler = (req, res) => {
    const body = req.body as { data?: unknown } | undefined;
    const problem = body && typeof body === "object" ? undecodable(body.data) : undefined;
    if (problem) {
      undecodableRequests.set(req, problem);
      req.body = { ...body, data: null };
    }
    return (handler as unknown as HttpHandler)(req, res);
  };
  // Every own property onCall set, as it set it: `__trigger` is a non-enumerable getter that
  // Object.assign would skip.
  for (const key of Reflect.ownKeys(handler)) {
    if (key === "length" || key === "name") continue;
    Object.defineProperty(guarded, key, Object.getOwnPropertyDescriptor(handler, key)!);
  }
  return guarded as unknown as F;
}

/** What a callable is made of: its input schema, how its dependencies are built, and its handler. */
export interface CallableDefinition<S extends z.ZodType, D, R> {
  input: S;
  /** Builds the deployed dependencies, per call, after the input passed (params and clients load lazily). */
  deps: () => D;
  handler: (deps: D, caller: Caller, input: z.infer<S>) => Promise<R>;
}

/**
 * Defines a callable, the one way every callable is made: App Check checked when ENFORCE_APP_CHECK is
 * true, input validated with `input` (`invalid-argument` with field details; `undecodable` for data the
 * protocol cannot decode), then the caller must be signed in (`unauthenticated`), and the handler runs as
 * `handler(deps, caller, input)`. Expected failures are answered with their code, anything else logged and
 * answered as an opaque `internal`.
 */
export function defineCallable<S extends z.ZodType, D, R>(
  name: string,
  { input: schema, deps, handler }: CallableDefinition<S, D, R>,
  { replayProtected = false, ...options }: CallableSettings = {},
) {
  return guardDecoding(
    onCall(
      { region: REGION, cors: true, ...options, consumeAppCheckToken: replayProtected },
      async (request) => {
        try {
          // Not the platform's enforceAppCheck option: that answers a bare `unauthenticated`, which a client
          // cannot tell from a missing sign-in, and reads the param while the module loads, deploy included.
          checkAppCheck(request.app, { enforced: ENFORCE_APP_CHECK.value(), replayProtected });
          const problem = request.rawRequest && undecodableRequests.get(request.rawRequest);
          if (problem) {
            throw new AppError("invalid-argument", "The request data cannot be decoded.", {
              reason: "undecodable",
              problem,
            });
          }
          const input = parseInput(schema, request.data);
          const caller = requireAuth(request);
          return await handler(deps(), caller, input);
        } catch (err) {
          if (!(err instanceof AppError) || err.code === "internal") logFailure(`${name}.failed`, err);
          throw toHttpsError(err);
        }
      },
    ),
  );
}
