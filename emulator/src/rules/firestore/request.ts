import type { GateAuth, GateContext, GateDocument, Timestamp } from "../../shared/security.js";
import type { Method } from "../ast/nodes.js";
import type { Result, RulesValue } from "../types/value.js";
import { documentResource, fromJs, timestampNanos } from "../wire.js";

export function authValue(auth: GateAuth): RulesValue {
  if (!auth) return null;
  return {
    type: "map",
    fields: new Map<string, RulesValue>([
      ["uid", auth.uid],
      ["token", fromJs(auth.token)],
    ]),
  };
}

export function timeValue(time: Date): RulesValue {
  return { type: "timestamp", nanos: BigInt(time.getTime()) * 1_000_000n };
}

/**
 * `request.time` of a Firestore request. The seam's Date holds milliseconds only, while commit times (and
 * so server timestamps, which rules compare with `==`) have microseconds; a precise `timestamp` given
 * beside `time` wins.
 */
export function requestTime(ctx: GateContext & { timestamp?: Timestamp }): RulesValue {
  return ctx.timestamp ? { type: "timestamp", nanos: timestampNanos(ctx.timestamp) } : timeValue(ctx.time);
}

export interface RequestParts {
  database: string;
  /** Segments below `…/documents`. */
  segments: string[];
  method: Method;
  auth: GateAuth;
  time: RulesValue;
  /** request.resource for create/update. */
  incoming?: GateDocument | null;
  /** request.query for list. */
  query?: RulesValue;
}

/** The `request` variable of a Firestore request. */
export function requestValue(p: RequestParts): RulesValue {
  const fields = new Map<string, RulesValue>([
    ["auth", authValue(p.auth)],
    ["method", p.method],
    ["path", { type: "path", segments: ["databases", p.database, "documents", ...p.segments] }],
    ["time", p.time],
  ]);
  if (p.incoming) fields.set("resource", documentResource(p.incoming, p.database));
  if (p.query !== undefined) fields.set("query", p.query);
  return { type: "map", fields };
}

export function globals(request: RulesValue, resource: Result): Map<string, Result> {
  return new Map<string, Result>([
    ["request", request],
    ["resource", resource],
  ]);
}
