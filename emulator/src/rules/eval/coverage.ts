import type { CoverageNode, CoverageValue, RuleCoverageReport } from "../../shared/security.js";
import type { Expr, MatchDecl } from "../ast/nodes.js";
import { children } from "../ast/walk.js";
import { isError, type Result, typeName } from "../types/value.js";
import type { Ruleset } from "./ruleset.js";

function outcomeKey(v: Result): [string, Omit<CoverageValue, "count">] {
  if (isError(v)) return [`error:${v.message}`, { error: v.message }];
  if (v === null) return ["null", { value: { nullValue: null } }];
  // The type, not the printed value: printing whole documents on every evaluation would cost too much.
  const type = typeName(v);
  return [`other:${type}`, { value: { otherValue: type } }];
}

const MAX_OUTCOMES = 8;

/**
 * Counts, per expression, the values it evaluated to since the rules were loaded, like the official
 * emulator's rule coverage. Non-boolean outcomes are kept by type, at most a few per expression.
 */
export class Coverage {
  // Booleans, by far the most common outcome, are counted by expression id without allocating.
  private readonly trues: number[] = [];
  private readonly falses: number[] = [];
  private readonly others = new Map<number, Map<string, CoverageValue>>();

  record(e: Expr, v: Result): void {
    if (v === true) this.trues[e.id] = (this.trues[e.id] ?? 0) + 1;
    else if (v === false) this.falses[e.id] = (this.falses[e.id] ?? 0) + 1;
    else {
      let byKey = this.others.get(e.id);
      if (!byKey) {
        byKey = new Map();
        this.others.set(e.id, byKey);
      }
      const [key, shape] = outcomeKey(v);
      const seen = byKey.get(key);
      if (seen) seen.count++;
      else if (byKey.size < MAX_OUTCOMES) byKey.set(key, { ...shape, count: 1 });
    }
  }

  private values(e: Expr): CoverageValue[] {
    const out: CoverageValue[] = [];
    const t = this.trues[e.id];
    const f = this.falses[e.id];
    if (t) out.push({ value: { boolValue: true }, count: t });
    if (f) out.push({ value: { boolValue: false }, count: f });
    out.push(...(this.others.get(e.id)?.values() ?? []));
    return out;
  }

  report(ruleset: Ruleset): RuleCoverageReport {
    const { source } = ruleset;
    const node = (e: Expr): CoverageNode => {
      const { line, column } = source.position(e.span.start);
      return {
        sourcePosition: {
          fileName: source.fileName,
          line,
          column,
          currentOffset: e.span.start,
          endOffset: e.span.end,
        },
        values: this.values(e),
        children: children(e).map(node),
      };
    };
    return {
      rules: { files: [{ name: source.fileName, content: source.text }] },
      report: roots(ruleset).map(node),
    };
  }
}

/** Every allow condition and function body (let bindings included), in source order. */
function roots(ruleset: Ruleset): Expr[] {
  const out: Expr[] = [];
  const match = (m: MatchDecl): void => {
    for (const a of m.allows) if (a.condition) out.push(a.condition);
    m.matches.forEach(match);
  };
  // Every function of the file, whatever its scope, was recorded where it was declared.
  for (const f of ruleset.declaredIn.keys()) out.push(...f.lets.map((l) => l.value), f.body);
  for (const service of ruleset.services.values()) for (const m of service.matches) match(m.decl);
  return out.sort((a, b) => a.span.start - b.span.start);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A page a person reads: the rules source, each line marked by what its expressions did (green: all
 * true outcomes seen, amber: some, red: evaluated but never true, grey: never evaluated), counts on hover.
 */
export function coverageHtml(report: RuleCoverageReport): string {
  const file = report.rules.files[0] ?? { name: "rules", content: "" };
  const lines = file.content.split("\n");
  const perLine = new Map<number, { evaluated: number; trueCount: number; notes: string[] }>();
  const visit = (n: CoverageNode) => {
    const at = perLine.get(n.sourcePosition.line) ?? { evaluated: 0, trueCount: 0, notes: [] };
    for (const v of n.values) {
      at.evaluated += v.count;
      if (v.value && "boolValue" in v.value && v.value.boolValue) at.trueCount += v.count;
      const what = v.error ? `error: ${v.error}` : v.value ? JSON.stringify(v.value) : "";
      at.notes.push(`col ${n.sourcePosition.column}: ${what} ×${v.count}`);
    }
    perLine.set(n.sourcePosition.line, at);
    n.children.forEach(visit);
  };
  report.report.forEach(visit);
  const rows = lines.map((text, i) => {
    const at = perLine.get(i + 1);
    const cls = !at ? "" : at.evaluated === 0 ? "never" : at.trueCount === 0 ? "false" : "seen";
    const title = at ? ` title="${escapeHtml(at.notes.slice(0, 20).join("\n"))}"` : "";
    const count = at ? String(at.evaluated) : "";
    return `<tr class="${cls}"${title}><td class="n">${i + 1}</td><td class="c">${count}</td><td><pre>${escapeHtml(text)}</pre></td></tr>`;
  });
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Rule coverage: ${escapeHtml(file.name)}</title>
<style>
body{font:13px system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}pre{margin:0;font:12px ui-monospace,monospace}
td{padding:0 .5rem;vertical-align:top}.n,.c{color:#777;text-align:right}.seen{background:#e3f6e3}.false{background:#fbe3e3}.never{background:#eee}
</style></head><body>
<h1>Rule coverage: ${escapeHtml(file.name)}</h1>
<p>Green: evaluated and true at least once. Red: evaluated, never true. Grey: never evaluated. The second column counts evaluations; hover a line for outcomes.</p>
<table>${rows.join("\n")}</table>
</body></html>
`;
}
