import type { Result, RulesTimestamp, RulesValue } from "../types/value.js";
import {
  type CallContext,
  entry,
  invalidArgument,
  isInt,
  isString,
  type MethodTable,
  noOverload,
} from "./overload.js";

const NS_PER_MS = 1_000_000n;
const NS_PER_DAY = 86_400_000_000_000n;
/** 0001-01-01 and 9999-12-31T23:59:59.999999999, the range Firestore timestamps allow. */
const MIN_NS = -62_135_596_800n * 1_000_000_000n;
const MAX_NS = 253_402_300_800n * 1_000_000_000n - 1n;

export function timestamp(nanos: bigint, ctx: CallContext): Result {
  if (nanos < MIN_NS || nanos > MAX_NS) return invalidArgument(ctx, "Timestamp out of range.");
  return { type: "timestamp", nanos };
}

const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));

const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();

/** A formatter for an IANA zone name, or null when the name is not a known zone. */
function zoneFormat(zone: string): Intl.DateTimeFormat | null {
  let f = zoneFormats.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      f = null;
    }
    zoneFormats.set(zone, f);
  }
  return f;
}

/**
 * Offset from UTC in nanoseconds at instant `ms` for "UTC", "+hh:mm"/"-hh:mm" or an IANA zone name such as
 * "America/New_York"; undefined for anything else.
 */
function zoneOffset(zone: RulesValue | undefined, ms: number): bigint | undefined {
  if (zone === undefined) return 0n;
  if (!isString(zone)) return undefined;
  if (zone === "UTC" || zone === "Z" || zone === "GMT") return 0n;
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(zone);
  if (m) {
    const ns = (BigInt(m[2]!) * 60n + BigInt(m[3]!)) * 60_000_000_000n;
    return m[1] === "-" ? -ns : ns;
  }
  const format = zoneFormat(zone);
  if (!format) return undefined;
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offsetMs = wall - (ms - (((ms % 1000) + 1000) % 1000));
  return BigInt(offsetMs) * NS_PER_MS;
}

function part(pick: (d: Date, nanosOfDay: bigint, nanos: bigint) => bigint | number) {
  return (t: RulesTimestamp, [zone]: RulesValue[], ctx: CallContext): Result => {
    const offset = zoneOffset(zone, Number(floorDiv(t.nanos, NS_PER_MS)));
    if (offset === undefined)
      return invalidArgument(ctx, "Unsupported time zone; use UTC, +hh:mm or an IANA zone name.");
    const local = t.nanos + offset;
    const d = new Date(Number(floorDiv(local, NS_PER_MS)));
    const v = pick(d, local - floorDiv(local, NS_PER_DAY) * NS_PER_DAY, local);
    return typeof v === "bigint" ? v : BigInt(v);
  };
}

function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

// biome-ignore format: one overload per line reads as a table
export const TIMESTAMP_METHODS: MethodTable<RulesTimestamp> = {
  year:      entry([0, 1], part((d) => d.getUTCFullYear())),
  month:     entry([0, 1], part((d) => d.getUTCMonth() + 1)),
  day:       entry([0, 1], part((d) => d.getUTCDate())),
  hours:     entry([0, 1], part((d) => d.getUTCHours())),
  minutes:   entry([0, 1], part((d) => d.getUTCMinutes())),
  seconds:   entry([0, 1], part((d) => d.getUTCSeconds())),
  nanos:     entry([0, 1], part((_, __, ns) => ns - floorDiv(ns, 1_000_000_000n) * 1_000_000_000n)),
  dayOfWeek: entry([0, 1], part((d) => d.getUTCDay() === 0 ? 7 : d.getUTCDay())),
  dayOfYear: entry([0, 1], part((d) => dayOfYear(d))),
  toMillis:  entry(0, (t) => floorDiv(t.nanos, NS_PER_MS)),
  date:      entry(0, (t) => ({ type: "timestamp", nanos: floorDiv(t.nanos, NS_PER_DAY) * NS_PER_DAY })),
  time:      entry(0, (t) => ({ type: "duration", nanos: t.nanos - floorDiv(t.nanos, NS_PER_DAY) * NS_PER_DAY })),
};

// biome-ignore format: one overload per line reads as a table
export const TIMESTAMP_FUNCTIONS: MethodTable<null> = {
  "timestamp.value": entry(1, (_, [ms], ctx) => (isInt(ms!) ? timestamp(ms * NS_PER_MS, ctx) : noOverload(ctx, "timestamp.value", [ms!]))),
  "timestamp.date":  entry(3, (_, [y, m, d], ctx) => {
    if (!isInt(y!) || !isInt(m!) || !isInt(d!)) return noOverload(ctx, "timestamp.date", [y!, m!, d!]);
    const date = new Date(0);
    date.setUTCFullYear(Number(y), Number(m) - 1, Number(d));
    if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return invalidArgument(ctx, "Invalid date.");
    return timestamp(BigInt(date.getTime()) * NS_PER_MS, ctx);
  }),
};
