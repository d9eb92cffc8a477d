/**
 * The one place that reads the wall clock. Times are integer microseconds since the epoch (Firestore keeps
 * microsecond precision), and `now()` is strictly increasing so every commit gets its own version.
 */
export interface Clock {
  now(): number;
}

export class SystemClock implements Clock {
  private last = 0;

  now(): number {
    const wall = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    this.last = Math.max(wall, this.last + 1);
    return this.last;
  }
}

/** A clock tests move by hand; it still never repeats a value. */
export class FakeClock implements Clock {
  constructor(private current = 1_700_000_000_000_000) {}

  now(): number {
    this.current += 1;
    return this.current;
  }

  advance(micros: number): void {
    this.current += micros;
  }
}
