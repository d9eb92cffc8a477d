import type {
  GateContext,
  GateDecision,
  GateQuery,
  GateWrite,
  RuleCoverageReport,
  RulesLoadResult,
  SecurityGate,
} from "../../shared/security.js";
import { type CompileIssue, compileRuleset } from "../compile.js";
import { Coverage } from "../eval/coverage.js";
import { debugSink } from "../eval/debug.js";
import { denialMessage, judge } from "../eval/judge.js";
import type { Ruleset } from "../eval/ruleset.js";
import { documentResource } from "../wire.js";
import { DocumentReader, type DocumentSources } from "./documents.js";
import { analyzeQuery } from "./query.js";
import { globals, requestTime, requestValue } from "./request.js";

export interface RulesGateOptions {
  /** Rules for projects that have none of their own; without them such projects allow everything. */
  defaultRules?: string;
  fileName?: string;
  /** Receives one line per debug() call in the rules, e.g. `firestore.rules:12:9 debug: 'abc'`. */
  debug?: (line: string) => void;
}

/** Raised by createRulesGate when the default rules do not compile: a start-up configuration mistake. */
export class RulesConfigError extends Error {
  readonly code = "invalid-default-rules";
  constructor(readonly issues: CompileIssue[]) {
    super(`Default rules do not compile:\n${issues.map((i) => i.rendered).join("\n")}`);
  }
}

const ALLOWED: GateDecision = { allowed: true };

const toLoadIssues = (issues: CompileIssue[]): RulesLoadResult["issues"] =>
  issues.map(({ line, column, message, severity }) => ({ line, column, message, severity }));

const segmentsOf = (path: string): string[] => path.split("/").filter((s) => s !== "");

/** The Firestore SecurityGate: compiled rules per project, judging reads, queries and commits. */
export function createRulesGate(options: RulesGateOptions = {}): Omit<SecurityGate, "coverage"> & {
  rulesFor(project: string): Ruleset | null;
  coverage(project: string): RuleCoverageReport | null;
} {
  let fallback: Ruleset | null = null;
  if (options.defaultRules !== undefined) {
    const compiled = compileRuleset(options.defaultRules, options.fileName);
    if (!compiled.ok) throw new RulesConfigError(compiled.issues);
    fallback = compiled.ruleset;
  }
  const byProject = new Map<string, Ruleset>();
  const rulesFor = (project: string): Ruleset | null => byProject.get(project) ?? fallback;
  // Outcomes per project since its current rules were loaded (new rules start a new count).
  const coverage = new Map<string, { ruleset: Ruleset; coverage: Coverage }>();
  const coverageOf = (project: string, ruleset: Ruleset): Coverage => {
    const held = coverage.get(project);
    if (held?.ruleset === ruleset) return held.coverage;
    const fresh = new Coverage();
    coverage.set(project, { ruleset, coverage: fresh });
    return fresh;
  };
  const sources = (ruleset: Ruleset, ctx: GateContext): DocumentSources => ({
    ...ctx,
    debug: options.debug && debugSink(ruleset, options.debug),
  });

  return {
    rulesFor,

    coverage(project: string): RuleCoverageReport | null {
      const ruleset = rulesFor(project);
      return ruleset ? coverageOf(project, ruleset).report(ruleset) : null;
    },

    setRules(project, source, fileName = options.fileName): RulesLoadResult {
      const compiled = compileRuleset(source, fileName);
      if (!compiled.ok) return { ok: false, issues: toLoadIssues(compiled.issues) };
      byProject.set(project, compiled.ruleset);
      return { ok: true, issues: toLoadIssues(compiled.issues) };
    },

    checkGet(path: string, ctx: GateContext): GateDecision {
      const ruleset = rulesFor(ctx.project);
      if (!ruleset) return ALLOWED;
      const segments = segmentsOf(path);
      const stored = ctx.before.get(path);
      const request = requestValue({
        database: ctx.database,
        segments,
        method: "get",
        auth: ctx.auth,
        time: requestTime(ctx),
      });
      const verdict = judge({
        ruleset,
        service: "cloud.firestore",
        segments: ["databases", ctx.database, "documents", ...segments],
        method: "get",
        globals: globals(request, stored ? documentResource(stored, ctx.database) : null),
        runtime: new DocumentReader(sources(ruleset, ctx)),
        coverage: coverageOf(ctx.project, ruleset),
      });
      return verdict.allowed ? ALLOWED : { allowed: false, message: denialMessage(verdict.reasons) };
    },

    checkQuery(query: GateQuery, ctx: GateContext): GateDecision {
      const ruleset = rulesFor(ctx.project);
      if (!ruleset) return ALLOWED;
      const analysis = analyzeQuery(query, ctx.database);
      if (!analysis.ok) return { allowed: false, message: denialMessage([analysis.message]) };
      const { shape } = analysis;
      const request = requestValue({
        database: ctx.database,
        segments: shape.collection,
        method: "list",
        auth: ctx.auth,
        time: requestTime(ctx),
        query: shape.query,
      });
      for (const resource of shape.resources) {
        const verdict = judge({
          ruleset,
          service: "cloud.firestore",
          segments: shape.segments,
          method: "list",
          globals: globals(request, resource),
          runtime: new DocumentReader(sources(ruleset, ctx)),
          coverage: coverageOf(ctx.project, ruleset),
        });
        if (!verdict.allowed) return { allowed: false, message: denialMessage(verdict.reasons) };
      }
      return ALLOWED;
    },

    checkWrites(writes: GateWrite[], ctx: GateContext): GateDecision {
      const ruleset = rulesFor(ctx.project);
      if (!ruleset) return ALLOWED;
      const reader = DocumentReader.forBatch(sources(ruleset, ctx), writes.length);
      for (const w of writes) {
        const segments = segmentsOf(w.path);
        const request = requestValue({
          database: ctx.database,
          segments,
          method: w.method,
          auth: ctx.auth,
          time: requestTime(ctx),
          incoming: w.after,
        });
        const verdict = judge({
          ruleset,
          service: "cloud.firestore",
          segments: ["databases", ctx.database, "documents", ...segments],
          method: w.method,
          globals: globals(request, w.before ? documentResource(w.before, ctx.database) : null),
          runtime: reader(),
          coverage: coverageOf(ctx.project, ruleset),
        });
        if (!verdict.allowed) {
          return { allowed: false, message: `${denialMessage(verdict.reasons)} (${w.method} of /${w.path})` };
        }
      }
      return ALLOWED;
    },
  };
}
