import type { AllowDecl, Method, PatternSegment } from "../ast/nodes.js";
import { NO_SPAN, unknownInQuery } from "../types/error.js";
import type { Result } from "../types/value.js";
import type { CompiledMatch, FunctionScope } from "./ruleset.js";

/** A document id a query does not name: it matches a `{var}` whose value is then unknown. */
export const ANY_ID: unique symbol = Symbol("any-id");
/** Zero or more unnamed segments (collection-group queries): only a `{var=**}` can consume it. */
export const GAP: unique symbol = Symbol("gap");
export type RequestSegment = string | typeof ANY_ID | typeof GAP;

export interface MatchedAllow {
  allow: AllowDecl;
  scope: FunctionScope;
  vars: Map<string, Result>;
}

/** Every allow statement for `method` whose enclosing match blocks consume exactly `segments`. */
export function collectAllows(
  matches: CompiledMatch[],
  segments: RequestSegment[],
  method: Method,
  version: "1" | "2",
): MatchedAllow[] {
  const out: MatchedAllow[] = [];
  const walk = (blocks: CompiledMatch[], from: number, vars: Map<string, Result>): void => {
    for (const block of blocks) {
      matchPattern(block.decl.pattern, 0, segments, from, vars, version, (end, bound) => {
        if (end === segments.length) {
          for (const allow of block.decl.allows) {
            if (allow.methods.includes(method)) out.push({ allow, scope: block.scope, vars: bound });
          }
        }
        if (block.children.length > 0) walk(block.children, end, bound);
      });
    }
  };
  walk(matches, 0, new Map());
  return out;
}

function unknownSegment(name: string): Result {
  return unknownInQuery(NO_SPAN, `The value of '${name}' is not known for a query.`);
}

function matchPattern(
  pattern: PatternSegment[],
  pi: number,
  segs: RequestSegment[],
  si: number,
  vars: Map<string, Result>,
  version: "1" | "2",
  done: (end: number, vars: Map<string, Result>) => void,
): void {
  if (pi === pattern.length) {
    done(si, vars);
    return;
  }
  const p = pattern[pi]!;
  const seg = segs[si];
  if (p.kind === "literal") {
    if (seg === p.value) matchPattern(pattern, pi + 1, segs, si + 1, vars, version, done);
    return;
  }
  if (p.kind === "var") {
    if (seg === undefined || seg === GAP) return;
    const bound = new Map(vars).set(p.name, typeof seg === "string" ? seg : unknownSegment(p.name));
    matchPattern(pattern, pi + 1, segs, si + 1, bound, version, done);
    return;
  }
  // Version 1 recursive wildcards need at least one segment; version 2 ones may match none.
  for (let end = version === "1" ? si + 1 : si; end <= segs.length; end++) {
    const run = segs.slice(si, end);
    const value: Result = run.every((s) => typeof s === "string")
      ? { type: "path", segments: run as string[] }
      : unknownSegment(p.name);
    matchPattern(pattern, pi + 1, segs, end, new Map(vars).set(p.name, value), version, done);
  }
}
