/**
 * The one shutdown budget of a process (SHUTDOWN_TIMEOUT_MS): started when SIGTERM arrives, and
 * asked by every step (HTTP drain, consumers, outbox flush, late tasks) how much is left, so the
 * steps share one deadline instead of each taking its own timeout. Created once by Nest
 * (PlatformModule) and started by bootstrapService.
 */
export class ShutdownClock {
  private deadline?: number;
  private budgetMs = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Starts the budget (once; a second call keeps the first deadline). */
  begin(budgetMs: number): void {
    if (this.deadline !== undefined) return;
    this.budgetMs = budgetMs;
    this.deadline = this.now() + budgetMs;
  }

  /** True once the budget started. */
  get started(): boolean {
    return this.deadline !== undefined;
  }

  /** Milliseconds left, keeping `reserveShare` of the whole budget for the steps after this one; undefined before begin. */
  remainingMs(reserveShare = 0): number | undefined {
    if (this.deadline === undefined) return undefined;
    return Math.max(0, this.deadline - this.now() - Math.ceil(this.budgetMs * reserveShare));
  }
}

/**
 * How the budget is shared, as fractions of it kept for what comes later: the HTTP drain may use
 * the budget down to AFTER_HTTP (consumers, outbox flush and closing still need it); messaging
 * down to AFTER_MESSAGING (closing Redis and Postgres, flushing traces, exiting).
 */
export const SHUTDOWN_RESERVE = { afterHttp: 0.45, afterMessaging: 0.15 } as const;
