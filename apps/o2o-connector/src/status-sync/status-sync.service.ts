import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { SqlExecutor } from '@omni/sql';
import { DataSource } from 'typeorm';
import type { PlatformAdapter, PlatformOrderStatus } from '../domain/platform-adapter.port';
import { PLATFORM_ADAPTERS } from '../platforms/platform-adapters.provider';
import { StatusSyncStore, type DueStatus } from './status-sync.store';

/** How often due statuses are looked for. */
const SWEEP_INTERVAL_MS = 250;
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
  private stopped = false;

  constructor(
    @Inject(PLATFORM_ADAPTERS) adapters: PlatformAdapter[],
    private readonly dataSource: DataSource,
    private readonly store: StatusSyncStore,
  ) {
    this.adapters = new Map(adapters.map((adapter) => [adapter.platform, adapter]));
  }

  /** Records the status a platform order should show (no effect for other orders). */
  want(tx: SqlExecutor, orderId: string, status: PlatformOrderStatus): Promise<boolean> {
    return this.store.want(tx, orderId, status);
  }

  /** Starts the sweep. */
  onApplicationBootstrap(): void {
    if (this.adapters.size > 0) this.next();
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

  private next(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.sweep()
        .catch((error: Error) => this.logger.warn(`status sync sweep failed: ${error.message}`))
        .finally(() => this.next());
    }, SWEEP_INTERVAL_MS);
  }
}
