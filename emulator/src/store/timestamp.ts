/** Conversions between wire timestamps, RFC 3339 text and the integer microseconds used for versions. */
import { invalidArgument } from "../shared/errors.js";

export interface Timestamp {
  seconds: number;
  nanos: number;
}

export const MIN_SECONDS = -62_135_596_800; // 0001-01-01T00:00:00Z
export const MAX_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59Z

export function microsToTimestamp(micros: number): Timestamp {
  const seconds = Math.floor(micros / 1_000_000);
  return { seconds, nanos: (micros - seconds * 1_000_000) * 1000 };
}

export function timestampToMicros(ts: Timestamp): number {
  return ts.seconds * 1_000_000 + Math.floor(ts.nanos / 1000);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

export function parseRfc3339(text: string): Timestamp {
  const m = RFC3339.exec(text);
  if (!m) throw invalidArgument(`Invalid timestamp "${text}".`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let seconds = Math.floor(
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000,
  );
  if (Number(y) < 100)
    seconds = Math.floor(utcSmallYear(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)));
  if (zone !== "Z") {
    const sign = zone!.startsWith("-") ? -1 : 1;
    const [zh, zm] = zone!.slice(1).split(":").map(Number);
    seconds -= sign * (zh! * 3600 + zm! * 60);
  }
  return { seconds, nanos: frac ? Number(frac.padEnd(9, "0")) : 0 };
}

// Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
function utcSmallYear(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime() / 1000;
}

export function toRfc3339(ts: Timestamp): string {
  const date = new Date(ts.seconds * 1000);
  const base = date.toISOString().slice(0, 19);
  const frac = ts.nanos ? `.${String(ts.nanos).padStart(9, "0").replace(/0+$/, "")}` : "";
  return `${base}${frac}Z`;
}

export function microsToRfc3339(micros: number): string {
  return toRfc3339(microsToTimestamp(micros));
}
