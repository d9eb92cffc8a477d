import { performance } from "node:perf_hooks";
import { log } from "./log.js";

/** When each phase of a start began and ended, in seconds since this process started. */
export interface Phase {
  name: string;
  start: number;
  end: number;
}

const seconds = (ms: number) => ms / 1000;

/**
 * The phases of one start, for `npm start -- --timings` and the start bench (scripts/bench/start.ts),
 * which reads the `timing` lines printed here. Phases overlap where they run side by side.
 */
export class Timings {
  readonly phases: Phase[] = [];

  /** Runs `work` as the named phase. */
  async phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.add(name, start);
    }
  }

  /** Records a phase that began at `startMs` (performance.now()) and ends now. */
  add(name: string, startMs: number, endMs = performance.now()): void {
    this.phases.push({ name, start: seconds(startMs), end: seconds(endMs) });
  }

  /** One line per phase: `timing    <name> <start> → <end> s (<duration> s)`. */
  print(): void {
    for (const p of [...this.phases].sort((a, b) => a.start - b.start)) {
      const span = `${p.start.toFixed(2)} → ${p.end.toFixed(2)} s`;
      log.info("timing", `${p.name.padEnd(24)} ${span.padEnd(18)} (${(p.end - p.start).toFixed(2)} s)`);
    }
  }
}

/** Parses the lines Timings.print wrote (colours stripped); used by the start bench. */
export function parseTimings(output: string): Phase[] {
  const phases: Phase[] = [];
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  for (const m of plain.matchAll(/^timing\s+(\S+)\s+([\d.]+) → ([\d.]+) s/gm)) {
    phases.push({ name: m[1]!, start: Number(m[2]), end: Number(m[3]) });
  }
  return phases;
}
