import type { RulesValue } from "./value.js";

/** Renders a value in rules syntax, for debug() output and messages. */
export function formatValue(v: RulesValue): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
    case "bigint":
      return String(v);
    case "number":
      return Number.isInteger(v) ? v.toFixed(1) : String(v);
    case "string":
      return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  }
  if (Array.isArray(v)) return `[${v.map(formatValue).join(", ")}]`;
  switch (v.type) {
    case "map":
      return `{${[...v.fields].map(([k, x]) => `${formatValue(k)}: ${formatValue(x)}`).join(", ")}}`;
    case "set":
      return `set(${formatValue(v.items)})`;
    case "path":
      return `/${v.segments.join("/")}`;
    case "bytes":
      return `b'${[...v.value].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("")}'`;
    case "timestamp":
      return `timestamp(${new Date(Number(v.nanos / 1_000_000n)).toISOString()})`;
    case "duration":
      return `duration(${v.nanos}ns)`;
    case "latlng":
      return `latlng(${v.lat}, ${v.lng})`;
    case "map_diff":
      return `map_diff(${formatValue(v.left)}, ${formatValue(v.right)})`;
    case "partial":
      return `${v.what}${v.prefix.map((s) => `.${s}`).join("")}(partly known)`;
  }
}
