import { isKind, type Result, type RulesDuration } from "../types/value.js";
import {
  entry,
  invalidArgument,
  isInt,
  isNumber,
  isString,
  type MethodTable,
  noOverload,
  toFloat,
} from "./overload.js";

const NS_PER_S = 1_000_000_000n;
const UNIT_NS: Record<string, bigint> = {
  w: 7n * 86_400n * NS_PER_S,
  d: 86_400n * NS_PER_S,
  h: 3_600n * NS_PER_S,
  m: 60n * NS_PER_S,
  s: NS_PER_S,
  ms: 1_000_000n,
  ns: 1n,
};

export const duration = (nanos: bigint): RulesDuration => ({ type: "duration", nanos });

// biome-ignore format: one overload per line reads as a table
export const DURATION_METHODS: MethodTable<RulesDuration> = {
  seconds:  entry(0, (d) => d.nanos / NS_PER_S),
  nanos:    entry(0, (d) => d.nanos % NS_PER_S),
  toMillis: entry(0, (d) => d.nanos / 1_000_000n),
};

// biome-ignore format: one overload per line reads as a table
export const DURATION_FUNCTIONS: MethodTable<null> = {
  "duration.abs":   entry(1, (_, [d], ctx): Result =>
    isKind(d, "duration")
      ? duration(d.nanos < 0n ? -d.nanos : d.nanos) : noOverload(ctx, "duration.abs", [d!])),
  "duration.value": entry(2, (_, [n, unit], ctx) => {
    if (!isNumber(n!) || !isString(unit!)) return noOverload(ctx, "duration.value", [n!, unit!]);
    const per = UNIT_NS[unit];
    if (per === undefined) return invalidArgument(ctx, "Unknown duration unit; expected w, d, h, m, s, ms or ns.");
    return duration(isInt(n) ? n * per : BigInt(Math.trunc(toFloat(n) * Number(per))));
  }),
  "duration.time":  entry(4, (_, args, ctx) => {
    if (!args.every(isInt)) return noOverload(ctx, "duration.time", args);
    const [h, m, s, ns] = args as bigint[];
    return duration(((h! * 60n + m!) * 60n + s!) * NS_PER_S + ns!);
  }),
};
