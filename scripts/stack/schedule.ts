/**
 * When a scheduled function is due. Understands what Hearth's jobs use: Cloud Scheduler's
 * "every N minutes|hours", "every day HH:MM", and five-field unix cron (`*`, `* /n` steps, ranges and
 * lists), in the function's time zone (Cloud Scheduler's default, UTC, when it names none).
 */
export type Schedule = (at: Date) => boolean;

interface WallClock {
  minute: number;
  hour: number;
  day: number;
  month: number;
  weekday: number;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The wall-clock fields of `at` in an IANA time zone. */
function wallClock(at: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    minute: "numeric",
    hour: "numeric",
    day: "numeric",
    month: "numeric",
    weekday: "short",
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    minute: Number(part("minute")),
    hour: Number(part("hour")),
    day: Number(part("day")),
    month: Number(part("month")),
    weekday: WEEKDAYS.indexOf(part("weekday")),
  };
}

const EVERY = /^every (\d+) (minute|minutes|mins|hour|hours)$/;
const DAILY = /^every day (\d{1,2}):(\d{2})$/;

export function parseSchedule(text: string, timeZone = "UTC"): Schedule | undefined {
  try {
    wallClock(new Date(0), timeZone);
  } catch {
    return undefined;
  }
  const rule = parseRule(text);
  return rule && ((at) => rule(wallClock(at, timeZone)));
}

function parseRule(text: string): ((t: WallClock) => boolean) | undefined {
  const spec = text.trim().toLowerCase();
  const every = EVERY.exec(spec);
  if (every) {
    const n = Number(every[1]);
    if (n <= 0) return undefined;
    const minutes = every[2]!.startsWith("h") ? n * 60 : n;
    return (t) => (t.hour * 60 + t.minute) % minutes === 0;
  }
  const daily = DAILY.exec(spec);
  if (daily) {
    const hour = Number(daily[1]);
    const minute = Number(daily[2]);
    return (t) => t.hour === hour && t.minute === minute;
  }
  return parseCron(spec);
}

const CRON_FIELDS: [min: number, max: number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];

function parseCron(spec: string): ((t: WallClock) => boolean) | undefined {
  const parts = spec.split(/\s+/);
  if (parts.length !== 5) return undefined;
  const sets: Set<number>[] = [];
  for (const [i, part] of parts.entries()) {
    const set = parseField(part, ...CRON_FIELDS[i]!);
    if (!set) return undefined;
    sets.push(set);
  }
  const [minute, hour, day, month, weekday] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  return (t) =>
    minute.has(t.minute) &&
    hour.has(t.hour) &&
    day.has(t.day) &&
    month.has(t.month) &&
    weekday.has(t.weekday);
}

function parseField(field: string, min: number, max: number): Set<number> | undefined {
  const out = new Set<number>();
  for (const item of field.split(",")) {
    const [range, stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0 || range === undefined) return undefined;
    let lo = min;
    let hi = max;
    if (range !== "*") {
      const [a, b] = range.split("-").map(Number);
      if (a === undefined || !Number.isInteger(a)) return undefined;
      lo = a;
      hi = b === undefined ? (stepText === undefined ? a : max) : b;
      if (!Number.isInteger(hi)) return undefined;
    }
    if (lo < min || hi > max || lo > hi) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}
