import { type Functions, httpsCallable } from "firebase/functions";
import {
  CALLABLES,
  type CallableName,
  type CallErrorReason,
  type CallInput,
  type CallOutput,
} from "../../schema/src/api/callables.js";
import {
  CODES_WITHOUT_REASON,
  ERROR_REASONS,
  type ErrorCode,
  type ErrorCodeOf,
  type ErrorDetailsOf,
  type ErrorReason,
  errorDetailsSchema,
  type HearthErrorDetails,
} from "../../schema/src/api/errors.js";

/**
 * A failed call as the Firebase SDK rejects it (a `FunctionsError`), typed by reason: `code` is one of the
 * reason's codes with the SDK's `functions/` prefix and `details` has the reason's fields.
 */
export interface HearthError<R extends ErrorReason = ErrorReason> extends Error {
  code: `functions/${ErrorCodeOf<R>}`;
  details: ErrorDetailsOf<R>;
}

/** Any error a call answers: some carry a reason, others (CODES_WITHOUT_REASON) no details. */
export interface AnyCallError extends Error {
  code: `functions/${ErrorCode}`;
  details?: HearthErrorDetails;
}

/** An error without `details`: signed out, not a member of the org, or an unexpected failure. */
export interface ReasonlessError extends Error {
  code: `functions/${(typeof CODES_WITHOUT_REASON)[number]}`;
  details?: undefined;
}

/** Every error the callable `N` may answer, discriminated by `details?.reason`. */
export type CallError<N extends CallableName> =
  | { [R in CallErrorReason<N>]: HearthError<R> }[CallErrorReason<N>]
  | ReasonlessError;

function isAnyCallError(err: unknown): err is AnyCallError {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === "string" && code.startsWith("functions/");
}

/**
 * Whether `err` is a callable's error, and with `reason`, one with that reason whose code and details
 * match the contract (a details object that does not fit is not narrowed, so fields read after it exist).
 */
export function isHearthError(err: unknown): err is AnyCallError;
export function isHearthError<R extends ErrorReason>(err: unknown, reason: R): err is HearthError<R>;
export function isHearthError(err: unknown, reason?: ErrorReason): boolean {
  if (!isAnyCallError(err)) return false;
  if (reason === undefined) return true;
  const codes: readonly string[] = ERROR_REASONS[reason].codes;
  return (
    codes.includes(err.code.slice("functions/".length)) &&
    errorDetailsSchema(reason).safeParse(err.details).success
  );
}

/**
 * Whether `err` is an error the callable `name` may answer per the contract, so a `switch` on
 * `err.details?.reason` offers exactly its reasons, each with its details.
 */
export function isCallError<N extends CallableName>(err: unknown, name: N): err is CallError<N> {
  if (!isAnyCallError(err)) return false;
  const reason = err.details?.reason;
  if (reason === undefined) {
    return (CODES_WITHOUT_REASON as readonly string[]).includes(err.code.slice("functions/".length));
  }
  return (CALLABLES[name].errors as readonly ErrorReason[]).includes(reason) && isHearthError(err, reason);
}

/** A call answered with data its output schema refuses: the deployed functions and this package differ. */
export class ContractMismatchError extends Error {
  constructor(
    readonly callable: CallableName,
    readonly issues: readonly { path: PropertyKey[]; message: string }[],
  ) {
    super(
      `${callable} answered data that does not match its contract: ${issues.map((i) => i.message).join("; ")}`,
    );
    this.name = "ContractMismatchError";
  }
}

/**
 * Calls the callable `name` with `input`, both typed by name, and answers its output checked against the
 * contract. Failures reject with the SDK's FunctionsError: narrow it with isHearthError.
 */
export async function call<N extends CallableName>(
  functions: Functions,
  name: N,
  input: CallInput<N>,
): Promise<CallOutput<N>> {
  const { data } = await httpsCallable(functions, name)(input);
  const parsed = CALLABLES[name].output.safeParse(data);
  if (!parsed.success) throw new ContractMismatchError(name, parsed.error.issues);
  return parsed.data as CallOutput<N>;
}
