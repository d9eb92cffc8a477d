/**
 * Figures as repeated samples: every bench prints a figure's median with its spread (min, max and,
 * where there are enough samples for it to mean something, p95), the sample count, and the machine's
 * load average, since the 2-core machines these run on are shared and one sample says little.
 */
import { availableParallelism, loadavg } from "node:os";

export interface Summary {
  n: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}

/** Nearest-rank quantiles of `samples` (not interpolated: every figure printed was measured). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("No samples to summarize.");
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { n: s.length, min: s[0]!, median: at(0.5), p95: at(0.95), max: s.at(-1)! };
}

/** A unit: how one number of a figure is printed. */
export type Unit = (n: number) => string;

export const ms: Unit = (n) => `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0)} ms`;
export const mib: Unit = (n) => `${n.toFixed(1)} MiB`;
export const perSecond =
  (what: string): Unit =>
  (n) =>
    `${n < 100 ? n.toFixed(1) : Math.round(n).toLocaleString("en-US")} ${what}/s`;

/** "median (min … max, n)", with p95 for samples large enough to have one (20 or more). */
export function spread(samples: readonly number[], unit: Unit): string {
  const s = summarize(samples);
  if (s.n === 1) return `${unit(s.median)} (n=1)`;
  const p95 = s.n >= 20 ? `, p95 ${unit(s.p95)}` : "";
  return `${unit(s.median)} (min ${unit(s.min)}${p95}, max ${unit(s.max)}, n=${s.n})`;
}

export function loadAverage(): string {
  const [one, five] = loadavg();
  return `load average ${one!.toFixed(2)} (1 min), ${five!.toFixed(2)} (5 min) on ${availableParallelism()} cores`;
}

export interface Row {
  figure: string;
  /** The measured figure, usually `spread(...)`. */
  value: string;
  /** What the same measurement gives for a reference on this machine (a floor), if there is one. */
  reference?: string;
}

/** One bench's figures as an aligned table: figure | median (spread) | reference, with the load. */
export class Table {
  private readonly rows: Row[] = [];
  private readonly loadAtStart = loadAverage();

  constructor(private readonly title: string) {}

  add(row: Row): void {
    this.rows.push(row);
  }

  print(): void {
    const header: Row = {
      figure: "figure",
      value: "median (spread)",
      reference: "reference on this machine",
    };
    const all = [header, ...this.rows];
    const width = (key: keyof Row) => Math.max(...all.map((r) => (r[key] ?? "").length));
    const [f, v] = [width("figure"), width("value")];
    const line = (r: Row) => `| ${r.figure.padEnd(f)} | ${r.value.padEnd(v)} | ${r.reference ?? "—"}`;
    console.log(`\n${this.title}`);
    console.log(`measured from ${this.loadAtStart} to ${loadAverage()}`);
    console.log(line(header));
    console.log(`|${"-".repeat(f + 2)}|${"-".repeat(v + 2)}|${"-".repeat(width("reference") + 1)}`);
    for (const row of this.rows) console.log(line(row));
  }
}
