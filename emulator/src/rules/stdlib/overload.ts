import type { Span } from "../source.js";
import { type RulesError, rulesError } from "../types/error.js";
import {
  INT64_MAX,
  INT64_MIN,
  isKind,
  type Result,
  type RulesMap,
  type RulesPath,
  type RulesSet,
  type RulesValue,
  typeName,
} from "../types/value.js";

/** What a library function may ask of the request being judged. */
export interface Runtime {
  /** get()/getAfter(): the document as a resource map, null when missing, or an error (limits, bad path). */
  readDocument(path: RulesPath, after: boolean, span: Span): Result;
  /** debug(): records a value for the emulator log; never changes the result. */
  debug(value: RulesValue, span: Span): void;
  /** Set once a per-request limit is exceeded: the request is then denied whatever the conditions say. */
  readonly fatal?: RulesError | undefined;
}

export interface CallContext {
  span: Span;
  runtime: Runtime;
}

export type MethodImpl<R = RulesValue> = (receiver: R, args: RulesValue[], ctx: CallContext) => Result;

/** One overload-table row: accepted argument counts and the implementation. */
export interface Entry<R = RulesValue> {
  arity: readonly number[];
  impl: MethodImpl<R>;
}

export type MethodTable<R = RulesValue> = Record<string, Entry<R>>;

export function entry<R>(arity: number | readonly number[], impl: MethodImpl<R>): Entry<R> {
  return { arity: typeof arity === "number" ? [arity] : arity, impl };
}

export function noOverload(ctx: CallContext, what: string, args: RulesValue[]): RulesError {
  return rulesError(
    "no-such-overload",
    `Function not found error: Name: [${what}] for arguments (${args.map(typeName).join(", ")}).`,
    ctx.span,
  );
}

export function invalidArgument(ctx: CallContext, message: string): RulesError {
  return rulesError("invalid-argument", message, ctx.span);
}

export function checkInt(ctx: CallContext, v: bigint): bigint | RulesError {
  return v < INT64_MIN || v > INT64_MAX ? rulesError("overflow", "Integer overflow.", ctx.span) : v;
}

export const isString = (v: RulesValue): v is string => typeof v === "string";
export const isInt = (v: RulesValue): v is bigint => typeof v === "bigint";
export const isNumber = (v: RulesValue): v is bigint | number =>
  typeof v === "bigint" || typeof v === "number";
export const isList = (v: RulesValue): v is RulesValue[] => Array.isArray(v);
export const isMap = (v: RulesValue): v is RulesMap => isKind(v, "map");
export const isSet = (v: RulesValue): v is RulesSet => isKind(v, "set");

/** Items of a list or a set, for methods that accept either. */
export function itemsOf(v: RulesValue): RulesValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (isSet(v)) return v.items;
  return undefined;
}

export const toFloat = (v: bigint | number): number => (typeof v === "bigint" ? Number(v) : v);
