import { Logger } from '@nestjs/common';

/**
 * Runs `work` every `intervalMs` in this replica, never two runs at once, until `stop()`, which
 * waits for the run in flight. A failed run is logged and the next tick tries again.
 */
export class PeriodicTask {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly name: string, private readonly work: () => Promise<unknown>) {
    this.logger = new Logger(name);
  }

  /** Starts ticking; an interval of 0 or less leaves the task off. */
  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.work()
        .catch((error: unknown) => this.logger.warn(`${this.name} failed: ${(error as Error).message}`))
        .finally(() => {
          this.running = null;
        });
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops ticking and waits for the run in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
