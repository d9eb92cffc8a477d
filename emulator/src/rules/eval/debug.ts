import type { Span } from "../source.js";
import { formatValue } from "../types/format.js";
import type { RulesValue } from "../types/value.js";
import type { Ruleset } from "./ruleset.js";

/** Turns debug() calls into `file:line:col debug: value` lines for a caller-supplied log. */
export function debugSink(
  ruleset: Ruleset,
  write: (line: string) => void,
): (value: RulesValue, span: Span) => void {
  return (value, span) => {
    const { line, column } = ruleset.source.position(span.start);
    write(`${ruleset.source.fileName}:${line}:${column} debug: ${formatValue(value)}`);
  };
}
