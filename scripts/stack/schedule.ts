/**
 * When a scheduled function is due. Understands what Hearth's jobs use: Cloud Scheduler's
 * "every N minutes|hours", "every day HH:MM", and five-field unix cron (`*`, `* /n` steps, ranges and
 * lists). Times are taken in the machine's local time zone.
 */
export type Schedule = (at: Date) => boolean;

const EVERY = /^every (\d+) (minute|minutes|mins|hour|hours)$/;
const DAILY = /^every day (\d{1,2}):(\d{2})$/;

export function parseSchedule(text: string): Schedule | undefined {
  const spec = text.trim().toLowerCase();
  const every = EVERY.exec(spec);
  if (every) {
    const n = Number(every[1]);
    if (n <= 0) return undefined;
    const minutes = every[2]!.startsWith("h") ? n * 60 : n;
    return (at) => Math.floor(at.getTime() / 60_000) % minutes === 0;
  }
  const daily = DAILY.exec(spec);
  if (daily) {
    const hour = Number(daily[1]);
    const minute = Number(daily[2]);
    return (at) => at.getHours() === hour && at.getMinutes() === minute;
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

function parseCron(spec: string): Schedule | undefined {
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
  return (at) =>
    minute.has(at.getMinutes()) &&
    hour.has(at.getHours()) &&
    day.has(at.getDate()) &&
    month.has(at.getMonth() + 1) &&
    weekday.has(at.getDay());
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
