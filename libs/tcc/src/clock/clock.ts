/** Where time comes from, so deadlines and expiry are testable without sleeping. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** The wall clock. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that only moves when a test moves it. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.current += ms;
  }

  /** Sets the clock to an absolute instant. */
  set(instant: Date | string): void {
    this.current = new Date(instant).getTime();
  }
}
