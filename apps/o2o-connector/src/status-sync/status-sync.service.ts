import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { SqlExecutor } from '@omni/sql';
import { DataSource } from 'typeorm';
import type { PlatformAdapter, PlatformOrderStatus } from '../domain/platform-adapter.port';
import { PLATFORM_ADAPTERS } from '../platforms/platform-adapters.provider';
import { StatusSyncStore, type DueStatus } from './status-sync.store';

/** Shortest time between sweeps: a status recorded here is sent this long after it was recorded, at most. */
const SWEEP_INTERVAL_MS = 250;
/**
 * Longest time between sweeps when no status is due sooner: how late a status recorded by another
 * replica (or retried by it) may be seen here. Statuses recorded in this replica wake it.
 */
const MAX_IDLE_MS = 5_000;
/** Statuses sent per sweep. */
const BATCH = 20;

/**
 * Tells each platform its orders' statuses in its own vocabulary (the adapter's): the latest status
 * is recorded with the order event (inbox transaction), then sent from that queue — by whichever
 * replica claims it first — with backoff while the platform fails; a status the platform refuses
 * outright is kept with the reason, not retried. A newer status replaces one not yet sent.
 */
@Injectable()
export class StatusSyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StatusSyncService.name);
  private readonly adapters: Map<string, PlatformAdapter>;
  private timer?: NodeJS.Timeout;
  /** When the timer fires (epoch ms). */
  private timerAt = Infinity;
  private sweeping = false;
  /** A status recorded while a sweep ran: sweep again soon. */
  private wokenDuringSweep = false;
  private stopped = false;

  constructor(
    @Inject(PLATFORM_ADAPTERS) adapters: PlatformAdapter[],
    private readonly dataSource: DataSource,
    private readonly store: StatusSyncStore,
  ) {
    this.adapters = new Map(adapters.map((adapter) => [adapter.platform, adapter]));
  }

  /**
   * Records the status a platform order should show (no effect for other orders), and has this
   * replica sweep SWEEP_INTERVAL_MS later, when `tx` has committed (a sweep that comes too early
   * finds it at the next one: latency, never a lost status).
   */
  async want(tx: SqlExecutor, orderId: string, status: PlatformOrderStatus): Promise<boolean> {
    const recorded = await this.store.want(tx, orderId, status);
    if (recorded) this.wake();
    return recorded;
  }

  /** Starts the sweep. */
  onApplicationBootstrap(): void {
    if (this.adapters.size > 0) this.next(SWEEP_INTERVAL_MS);
  }

  /** Stops it. */
  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Sends what is due; answers how many were claimed. */
  async sweep(): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const due = await this.store.claimDue(tx, BATCH);
      for (const status of due) await this.send(tx, status);
      return due.length;
    });
  }

  /** After a sweep: at once again after a full batch, else when the next status falls due (read now), within [SWEEP_INTERVAL_MS, MAX_IDLE_MS]. */
  private async delayAfter(claimed: number): Promise<number> {
    if (claimed >= BATCH || this.wokenDuringSweep) return SWEEP_INTERVAL_MS;
    const next = await this.store.nextDueAt(this.dataSource.manager);
    if (this.wokenDuringSweep) return SWEEP_INTERVAL_MS;
    const wait = next === null ? MAX_IDLE_MS : next.getTime() - Date.now();
    return Math.min(MAX_IDLE_MS, Math.max(SWEEP_INTERVAL_MS, wait));
  }

  /** A status was recorded here: sweep SWEEP_INTERVAL_MS from now unless a sweep comes sooner. */
  private wake(): void {
    if (this.stopped || this.adapters.size === 0) return;
    if (this.sweeping) {
      this.wokenDuringSweep = true;
      return;
    }
    if (Date.now() + SWEEP_INTERVAL_MS < this.timerAt) this.next(SWEEP_INTERVAL_MS);
  }

  private async send(tx: SqlExecutor, due: DueStatus): Promise<void> {
    const adapter = this.adapters.get(due.platform);
    if (!adapter) return this.store.retryLater(tx, due, 60_000, `platform ${due.platform} is not configured here`);
    const result = await adapter.updateOrderStatus(due.platformOrderId, due.status).catch((error: Error) => ({ ok: false as const, failure: { kind: 'unavailable' as const, detail: error.message } }));
    if (result.ok) return this.store.sent(tx, due, null);
    if (result.failure.kind === 'refused') {
      this.logger.warn(`${due.platform} refused status ${due.status} of ${due.platformOrderId}: ${result.failure.detail}`);
      return this.store.sent(tx, due, result.failure.detail.slice(0, 500));
    }
    const delay = Math.max(result.failure.kind === 'rate-limited' ? result.failure.retryAfterMs : 0, Math.min(60_000, 500 * 2 ** due.attempts));
    await this.store.retryLater(tx, due, delay, result.failure.kind === 'rate-limited' ? 'rate limited' : result.failure.detail.slice(0, 500));
  }

  private next(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.sweeping = true;
      this.wokenDuringSweep = false;
      void this.sweep()
        .then((claimed) => this.delayAfter(claimed))
        .catch((error: Error) => {
          this.logger.warn(`status sync sweep failed: ${error.message}`);
          return SWEEP_INTERVAL_MS;
        })
        .then((after) => {
          this.sweeping = false;
          this.next(this.wokenDuringSweep ? SWEEP_INTERVAL_MS : after);
        });
    }, delay);
  }
}
