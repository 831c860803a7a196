import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { StockChangedEvent } from '@omni/contracts';
import { MetricsService, SERVICE_CONFIG } from '@omni/platform';
import type { SqlExecutor } from '@omni/sql';
import { DataSource } from 'typeorm';
import { O2oConnectorEnv, platformSettingsFrom } from '../config/o2o-connector.config';
import { IdMapper } from '../domain/id-mapping';
import type { PlatformAdapter } from '../domain/platform-adapter.port';
import { MappingStore } from '../mappings/mapping.store';
import { PLATFORM_ADAPTERS } from '../platforms/platform-adapters.provider';
import { PushLeadershipService } from '../push/push-leadership.service';
import { WANTED_STOCK_CHANNEL } from './push-leadership';
import { StockPushEngine, type WantedStock } from './stock-push.engine';
import { StockSyncStore } from './stock-sync.store';
import { SyncHealthMetrics } from './sync-health.metrics';

/** A platform's sync health, as the staff route shows it. */
export interface SyncHealthView {
  platform: string;
  kind: string;
  /** Whether this replica is the one pushing (the others report the shared backlog only). */
  leader: boolean;
  lastSuccessAt: string | null;
  pendingPushes: number;
  unacknowledged: number;
  oldestUnacknowledgedAt: string | null;
  unmapped: Array<{ kind: string; ourId: string; occurrences: number; lastSeenAt: string }>;
}

/**
 * Keeps every platform's stock in step with our channel ATP: every replica records the wanted
 * value with the event (inbox transaction) and announces it at commit; the one replica that holds
 * push leadership offers it to the platform's engine, stores acknowledgements, and when it becomes
 * leader (on start, or when the last leader died) offers every stored value again (a full resync).
 */
@Injectable()
export class StockSyncService implements OnApplicationShutdown {
  private readonly logger = new Logger(StockSyncService.name);
  private readonly engines = new Map<string, StockPushEngine>();
  /** Channel code → platform, for picking a platform's ATP out of stock-changed. */
  private readonly byChannel = new Map<string, PlatformAdapter>();
  private readonly makeEngine: (adapter: PlatformAdapter) => StockPushEngine;

  /** Engines are built here, once, from the configured adapters. */
  constructor(
    @Inject(PLATFORM_ADAPTERS) adapters: PlatformAdapter[],
    @Inject(SERVICE_CONFIG) env: O2oConnectorEnv,
    metrics: MetricsService,
    private readonly dataSource: DataSource,
    private readonly store: StockSyncStore,
    private readonly mappings: MappingStore,
    leadership: PushLeadershipService,
  ) {
    const health = new SyncHealthMetrics(metrics.registry, () => [...this.engines].map(([platform, engine]) => ({ platform, pending: engine.pending })));
    const listener = health.listener(
      (platform, pushes) => void this.store.acknowledge(this.dataSource, platform, pushes).catch((error: Error) => this.logger.warn(`acknowledgement not stored: ${error.message}`)),
      (platform, kind, ourId) => void this.store.recordUnmapped(this.dataSource, platform, kind, ourId).catch((error: Error) => this.logger.warn(`unmapped not stored: ${error.message}`)),
    );
    const settings = new Map(platformSettingsFrom(env).map((platform) => [platform.channel, platform]));
    this.makeEngine = (adapter) =>
      new StockPushEngine(
        adapter,
        {
          windowMs: env.O2O_PUSH_WINDOW_MS,
          retryBaseMs: env.O2O_PUSH_RETRY_BASE_MS,
          retryMaxMs: env.O2O_PUSH_RETRY_MAX_MS,
          ratePerSecond: settings.get(adapter.platform)!.ratePerSecond,
          concurrency: env.O2O_PUSH_CONCURRENCY,
        },
        new IdMapper({ skus: [], stores: [] }),
        listener,
        Date.now,
        leadership.bucketOf(adapter.platform),
      );
    for (const adapter of adapters) this.byChannel.set(adapter.platform, adapter);
    leadership.register({
      channel: WANTED_STOCK_CHANNEL,
      won: async () => {
        for (const adapter of this.byChannel.values()) this.engines.set(adapter.platform, this.makeEngine(adapter));
        for (const platform of this.engines.keys()) await this.resync(platform);
      },
      announced: (payload) => this.announced(payload),
      lost: () => {
        for (const engine of this.engines.values()) engine.stop();
        this.engines.clear();
      },
    });
  }

  /** Stops the engines; unacknowledged values are pushed again by the next leader. */
  onApplicationShutdown(): void {
    for (const engine of this.engines.values()) engine.stop();
  }

  /**
   * Records a stock change for every platform whose channel ATP it carries, in the event's
   * transaction, then offers it. A platform sells per store (or warehouse): what that location can
   * promise the platform's channel is its own free units, capped by the channel's ATP (a dedicated
   * quota or a safety stock can leave the channel less than the store holds).
   */
  async onStockChanged(event: StockChangedEvent, tx: SqlExecutor): Promise<void> {
    const rows = event.atp
      .filter((entry) => this.byChannel.has(entry.channel))
      .map((entry) => ({
        platform: entry.channel,
        sku: event.sku,
        locationId: event.locationId,
        quantity: Math.min(event.available, entry.available),
        version: event.version,
        observedAt: event.occurredAt,
      }));
    const applied = await this.store.recordWanted(tx, rows);
    // Announced at commit, to whichever replica pushes; nothing is pushed for a rolled-back event.
    for (const row of applied) await tx.query(`SELECT pg_notify($1, $2)`, [WANTED_STOCK_CHANNEL, JSON.stringify(row)]);
  }

  /** A wanted value announced by any replica: the leader offers it. */
  private announced(payload: string): void {
    try {
      const { platform, ...wanted } = JSON.parse(payload) as { platform: string } & WantedStock;
      this.engines.get(platform)?.offer(wanted);
    } catch (error) {
      this.logger.warn(`unreadable wanted-stock announcement: ${(error as Error).message}`);
    }
  }

  /** Reloads a platform's mappings and offers every stored value not yet acknowledged since (or all, on start). */
  async resync(platform: string): Promise<{ offered: number }> {
    const engine = this.engines.get(platform);
    // Only the leader pushes; a standby's resync is the leader's to do (it resyncs when it wins).
    if (!engine) return { offered: 0 };
    engine.useMappings(new IdMapper(await this.mappings.load(this.dataSource, platform)));
    const wanted = await this.store.wantedOf(this.dataSource, platform);
    for (const row of wanted) engine.offer(row satisfies WantedStock);
    return { offered: wanted.length };
  }

  /** Whether the platform is configured here. */
  has(platform: string): boolean {
    return this.byChannel.has(platform);
  }

  /** Sync health of one platform. */
  async health(platform: string): Promise<SyncHealthView> {
    const engine = this.engines.get(platform);
    const backlog = await this.store.backlogOf(this.dataSource, platform);
    return {
      platform,
      kind: this.byChannel.get(platform)!.kind,
      leader: engine !== undefined,
      lastSuccessAt: engine?.lastSuccessAt ? new Date(engine.lastSuccessAt).toISOString() : null,
      pendingPushes: engine?.pending ?? 0,
      unacknowledged: backlog.unacknowledged,
      oldestUnacknowledgedAt: backlog.oldestObservedAt,
      unmapped: await this.store.unmappedOf(this.dataSource, platform),
    };
  }
}
