/** The one place that reads the wall clock; handlers take a Clock so tests control time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
