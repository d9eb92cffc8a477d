/**
 * README's API tables, generated from the contract (schema/src/api): the callables with their input,
 * output and error reasons, and every error reason with its code and details. Each table sits between
 * `<!-- contract:<name>:start -->` and `<!-- contract:<name>:end -->` in README.md.
 *
 *   node --conditions=source --import tsx scripts/contract/readme-tables.ts           rewrites the regions
 *   node --conditions=source --import tsx scripts/contract/readme-tables.ts --check   exits 1 when stale
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { CALLABLE_NAMES, CALLABLES, ERROR_REASONS, type ErrorReason } from "@hearth/schema";
import type { z } from "zod";

export const README = fileURLToPath(new URL("../../README.md", import.meta.url));
export const REGIONS = ["callables", "errors"] as const;
export type Region = (typeof REGIONS)[number];

const code = (s: string) => `\`${s}\``;

/** `{ a, b? }` from an object schema's fields; `?` marks a field that may be left out. */
function shapeOf(shape: Record<string, z.ZodType>): string {
  const keys = Object.entries(shape).map(([k, v]) => (v.safeParse(undefined).success ? `${k}?` : k));
  return keys.length === 0 ? "{}" : `{ ${keys.join(", ")} }`;
}

const fieldsOf = (schema: z.ZodType) => (schema as z.ZodObject).shape as Record<string, z.ZodType>;

/** A table with its columns padded to their widest cell, as README's other tables are. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Reasons every callable may answer; the callables table lists only the others. */
const everywhere = (Object.keys(ERROR_REASONS) as ErrorReason[]).filter((reason) =>
  CALLABLE_NAMES.every((name) => (CALLABLES[name].errors as readonly ErrorReason[]).includes(reason)),
);

function callablesTable(): string {
  const rows = CALLABLE_NAMES.map((name) => {
    const { input, output, errors, summary } = CALLABLES[name];
    const own = (errors as readonly ErrorReason[]).filter((r) => !everywhere.includes(r));
    return [
      code(name),
      `${code(shapeOf(fieldsOf(input)))} → ${code(shapeOf(fieldsOf(output)))}`,
      summary,
      own.map(code).join(", "),
    ];
  });
  return [
    table(["callable", "input → output", "what it does", "`details.reason` of its errors"], rows),
    "",
    `Every callable may also answer ${everywhere.map(code).join(", ")}. Without a reason: ` +
      "`unauthenticated` (signed out), `permission-denied` (not a member of the org) and `internal`.",
  ].join("\n");
}

function errorsTable(): string {
  const rows = (Object.entries(ERROR_REASONS) as [ErrorReason, (typeof ERROR_REASONS)[ErrorReason]][]).map(
    ([reason, spec]) => [
      code(reason),
      spec.codes.map(code).join(", "),
      Object.keys(spec.details).length === 0 ? "" : code(shapeOf(spec.details)),
      spec.when,
    ],
  );
  return table(["`details.reason`", "code", "other `details`", "when"], rows);
}

/** The generated content of each region. */
export function regionTables(): Record<Region, string> {
  return { callables: callablesTable(), errors: errorsTable() };
}

const START = (region: Region) => `<!-- contract:${region}:start -->`;
const END = (region: Region) => `<!-- contract:${region}:end -->`;

/** The content between a region's markers; throws when a marker is missing or out of order. */
export function regionOf(readme: string, region: Region): { start: number; end: number; body: string } {
  const startAt = readme.indexOf(START(region));
  const end = readme.indexOf(END(region));
  if (startAt < 0 || end < startAt) {
    throw new Error(`README.md has no ${START(region)} … ${END(region)} region`);
  }
  const start = startAt + START(region).length;
  return { start, end, body: readme.slice(start, end) };
}

/** README with every region's content replaced by the generated tables. */
export function withTables(readme: string): string {
  let out = readme;
  for (const [region, tableText] of Object.entries(regionTables()) as [Region, string][]) {
    const { start, end } = regionOf(out, region);
    out = `${out.slice(0, start)}\n\n${tableText}\n\n${out.slice(end)}`;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readme = await readFile(README, "utf8");
  const next = withTables(readme);
  if (process.argv.includes("--check")) {
    if (next !== readme) {
      console.error(
        "README.md's contract tables are stale: run node --conditions=source --import tsx scripts/contract/readme-tables.ts",
      );
      process.exit(1);
    }
  } else if (next !== readme) {
    await writeFile(README, next);
    console.log("README.md: contract tables rewritten");
  }
}
