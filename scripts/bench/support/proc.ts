/**
 * A process's resident memory, read from /proc (Linux): how the benches report the emulator server's
 * memory, not the benchmark client's heap.
 */
import { readFileSync } from "node:fs";

/** Resident set size of `pid` in MiB. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`/proc/${pid}/status has no VmRSS line.`);
  return Number(kib) / 1024;
}

export interface RssWatch {
  /** Stops sampling: RSS when the watch started, the highest sampled, and now. */
  stop(): { before: number; peak: number; after: number };
}

/** Samples the RSS of `pid` every `everyMs` until stopped, to catch the peak between two readings. */
export function watchRss(pid: number, everyMs = 25): RssWatch {
  const before = rssMiB(pid);
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const after = rssMiB(pid);
      return { before, peak: Math.max(peak, after), after };
    },
  };
}

/** "before → after, peak …" for a watch's readings. */
export function rssLine(r: { before: number; peak: number; after: number }): string {
  const delta = r.after - r.before;
  return `${r.before.toFixed(0)} → ${r.after.toFixed(0)} MiB (${delta >= 0 ? "+" : ""}${delta.toFixed(1)}), peak ${r.peak.toFixed(0)} MiB`;
}
