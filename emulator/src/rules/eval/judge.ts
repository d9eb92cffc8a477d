import type { Method } from "../ast/nodes.js";
import type { Runtime } from "../stdlib/overload.js";
import type { RulesError } from "../types/error.js";
import { isError, type Result } from "../types/value.js";
import { Activation } from "./activation.js";
import type { Coverage } from "./coverage.js";
import { type Budget, Evaluator } from "./evaluator.js";
import { collectAllows, type RequestSegment } from "./match.js";
import type { Ruleset } from "./ruleset.js";

export interface JudgeInput {
  ruleset: Ruleset;
  service: "cloud.firestore" | "firebase.storage";
  segments: RequestSegment[];
  method: Method;
  /** `request`, `resource` and any other service globals. */
  globals: Map<string, Result>;
  runtime: Runtime;
  /** Receives every expression's outcome, for rule coverage reports. */
  coverage?: Coverage;
}

export type Verdict = { allowed: true } | { allowed: false; reasons: string[] };

/**
 * Judges one request: it is allowed when any matching allow statement for the method is true, unless a
 * per-request limit was exceeded on the way, which denies it whatever the conditions say. Each
 * refusal reason names the method and where it failed, in the emulator's "false for 'get' @ L5" style.
 */
export function judge(input: JudgeInput): Verdict {
  const { ruleset, method } = input;
  const service = ruleset.services.get(input.service);
  const candidates = service ? collectAllows(service.matches, input.segments, method, ruleset.version) : [];
  if (candidates.length === 0)
    return { allowed: false, reasons: [`No matching allow statements for '${method}'`] };
  const budget: Budget = { expressions: 0 };
  const evaluator = new Evaluator(ruleset, input.service, input.runtime, budget, input.coverage);
  const globals = new Activation(input.globals);
  const reasons: string[] = [];
  const describe = (e: RulesError, m: Method): string => {
    const { line, column } = ruleset.source.position(e.span.start);
    return `${e.message} for '${m}' @ L${line}:${column}`;
  };
  for (const c of candidates) {
    const cond = c.allow.condition;
    if (!cond) return { allowed: true };
    const v = evaluator.eval(cond, { vars: globals.child(c.vars), scope: c.scope, stack: [] });
    const fatal = budget.fatal ?? input.runtime.fatal;
    if (fatal) return { allowed: false, reasons: [describe(fatal, method)] };
    if (v === true) return { allowed: true };
    if (isError(v)) {
      reasons.push(describe(v, method));
    } else {
      const { line } = ruleset.source.position(cond.span.start);
      reasons.push(`${v === false ? "false" : "non-bool value"} for '${method}' @ L${line}`);
    }
  }
  return { allowed: false, reasons };
}

export const DENIED_PREFIX = "Missing or insufficient permissions.";

export function denialMessage(reasons: string[]): string {
  return `${DENIED_PREFIX} ${reasons.join(", ")}`;
}
