/**
 * Pure sliding-window limits over a short log of event times (milliseconds), kept on one document per
 * subject and changed in a transaction, so a limit is exact under concurrency. No Firestore here.
 */

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** At most `perHour` events in any hour and `perDay` in any 24 hours. */
export interface WindowLimits {
  perHour: number;
  perDay: number;
}

export type WindowTake =
  | { ok: true; log: number[] }
  | { ok: false; window: "hour" | "day"; limit: number; retryAfterSeconds: number };

/**
 * Records one event at `nowMs` when it fits both windows. The returned log keeps only the last day, so it
 * never holds more than `perDay` entries; a refused event is not recorded.
 */
export function takeFromWindows(log: readonly unknown[], nowMs: number, limits: WindowLimits): WindowTake {
  const recent = log
    .filter((t): t is number => typeof t === "number" && t > nowMs - DAY_MS && t <= nowMs)
    .sort((a, b) => a - b);
  for (const [window, ms, limit] of [
    ["hour", HOUR_MS, limits.perHour],
    ["day", DAY_MS, limits.perDay],
  ] as const) {
    const inWindow = recent.filter((t) => t > nowMs - ms);
    if (inWindow.length >= limit) {
      // The event that must leave the window before one more fits.
      const leaving = inWindow[inWindow.length - limit] ?? nowMs;
      return {
        ok: false,
        window,
        limit,
        retryAfterSeconds: Math.max(1, Math.ceil((leaving + ms - nowMs) / 1000)),
      };
    }
  }
  return { ok: true, log: [...recent, nowMs] };
}
