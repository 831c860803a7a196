import { Logger } from '@nestjs/common';

/**
 * Runs `work` in this replica, never two runs at once, until `stop()`, which waits for the run in
 * flight. Each run is followed by the delay `after` answers for its result (default: `intervalMs`),
 * never less than `intervalMs`; `wake()` brings the next run forward to `intervalMs` from now. A
 * failed run is logged and the next comes `intervalMs` later.
 */
export class PeriodicTask<T = unknown> {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  /** When the timer fires (epoch ms). */
  private timerAt = Infinity;
  private running: Promise<unknown> | null = null;
  private intervalMs = 0;
  private wokenDuringRun = false;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<T>,
    private readonly after: (result: T, intervalMs: number) => number = (_result, intervalMs) => intervalMs,
  ) {
    this.logger = new Logger(name);
  }

  /** Starts (the first run `intervalMs` from now); an interval of 0 or less leaves the task off. */
  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.intervalMs = intervalMs;
    this.schedule(intervalMs);
  }

  /** Runs `intervalMs` from now, unless a run is due sooner (or runs now: then once more after it). */
  wake(): void {
    if (this.stopped || this.intervalMs <= 0) return;
    if (this.running) {
      this.wokenDuringRun = true;
      return;
    }
    if (Date.now() + this.intervalMs < this.timerAt) this.schedule(this.intervalMs);
  }

  /** Stops and waits for the run in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.wokenDuringRun = false;
      this.running = this.work()
        .then(
          (result) => Math.max(this.intervalMs, this.after(result, this.intervalMs)),
          (error: unknown) => {
            this.logger.warn(`${this.name} failed: ${(error as Error).message}`);
            return this.intervalMs;
          },
        )
        .then((next) => {
          this.running = null;
          // A wake-up during the run (up to this very turn) brings the next one forward.
          this.schedule(this.wokenDuringRun ? this.intervalMs : next);
        });
    }, delay);
    this.timer.unref();
  }
}
