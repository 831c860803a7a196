import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { StockChangedEvent } from '@omni/contracts';
import { MetricsService, SERVICE_CONFIG } from '@omni/platform';
import type { SqlExecutor } from '@omni/sql';
import { DataSource } from 'typeorm';
import { O2oConnectorEnv, platformSettingsFrom } from '../config/o2o-connector.config';
import { IdMapper } from '../domain/id-mapping';
import type { PlatformAdapter } from '../domain/platform-adapter.port';
import { MappingStore } from '../mappings/mapping.store';
import { PLATFORM_ADAPTERS } from '../platforms/platform-adapters.provider';
import { StockPushEngine, type WantedStock } from './stock-push.engine';
import { StockSyncStore } from './stock-sync.store';
import { SyncHealthMetrics } from './sync-health.metrics';

/** A platform's sync health, as the staff route shows it. */
export interface SyncHealthView {
  platform: string;
  kind: string;
  lastSuccessAt: string | null;
  pendingPushes: number;
  unacknowledged: number;
  oldestUnacknowledgedAt: string | null;
  unmapped: Array<{ kind: string; ourId: string; occurrences: number; lastSeenAt: string }>;
}

/**
 * Keeps every platform's stock in step with our channel ATP: records the wanted value with the
 * event (inbox transaction), offers it to the platform's push engine, stores acknowledgements, and
 * on start offers every stored value again (a full resync from what we hold).
 */
@Injectable()
export class StockSyncService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StockSyncService.name);
  private readonly engines = new Map<string, StockPushEngine>();
  /** Channel code → platform, for picking a platform's ATP out of stock-changed. */
  private readonly byChannel = new Map<string, PlatformAdapter>();

  /** Engines are built here, once, from the configured adapters. */
  constructor(
    @Inject(PLATFORM_ADAPTERS) adapters: PlatformAdapter[],
    @Inject(SERVICE_CONFIG) env: O2oConnectorEnv,
    metrics: MetricsService,
    private readonly dataSource: DataSource,
    private readonly store: StockSyncStore,
    private readonly mappings: MappingStore,
  ) {
    const health = new SyncHealthMetrics(metrics.registry, () => [...this.engines].map(([platform, engine]) => ({ platform, pending: engine.pending })));
    const listener = health.listener(
      (platform, pushes) => void this.store.acknowledge(this.dataSource, platform, pushes).catch((error: Error) => this.logger.warn(`acknowledgement not stored: ${error.message}`)),
      (platform, kind, ourId) => void this.store.recordUnmapped(this.dataSource, platform, kind, ourId).catch((error: Error) => this.logger.warn(`unmapped not stored: ${error.message}`)),
    );
    const settings = new Map(platformSettingsFrom(env).map((platform) => [platform.channel, platform]));
    for (const adapter of adapters) {
      const platform = settings.get(adapter.platform)!;
      this.byChannel.set(adapter.platform, adapter);
      this.engines.set(
        adapter.platform,
        new StockPushEngine(
          adapter,
          {
            windowMs: env.O2O_PUSH_WINDOW_MS,
            retryBaseMs: env.O2O_PUSH_RETRY_BASE_MS,
            retryMaxMs: env.O2O_PUSH_RETRY_MAX_MS,
            ratePerSecond: platform.ratePerSecond,
            concurrency: env.O2O_PUSH_CONCURRENCY,
          },
          new IdMapper({ skus: [], stores: [] }),
          listener,
        ),
      );
    }
  }

  /** Before consumers start: load mappings and offer every stored value (full resync per platform). */
  async onModuleInit(): Promise<void> {
    for (const platform of this.engines.keys()) await this.resync(platform);
  }

  /** Stops the engines; unacknowledged values are pushed again on the next start. */
  onApplicationShutdown(): void {
    for (const engine of this.engines.values()) engine.stop();
  }

  /** Platforms this connector talks to. */
  platforms(): string[] {
    return [...this.engines.keys()];
  }

  /** Records a stock change for every platform whose channel ATP it carries, in the event's transaction, then offers it. */
  async onStockChanged(event: StockChangedEvent, tx: SqlExecutor): Promise<void> {
    const rows = event.atp
      .filter((entry) => this.byChannel.has(entry.channel))
      .map((entry) => ({ platform: entry.channel, sku: event.sku, locationId: event.locationId, quantity: entry.available, version: event.version, observedAt: event.occurredAt }));
    const applied = await this.store.recordWanted(tx, rows);
    // Offered before the commit: a rolled-back event is redelivered with the same value, and a
    // crash before the push is covered by the resync on start, which reads the committed rows.
    for (const { platform, ...wanted } of applied) this.engines.get(platform)?.offer(wanted);
  }

  /** Reloads a platform's mappings and offers every stored value not yet acknowledged since (or all, on start). */
  async resync(platform: string): Promise<{ offered: number }> {
    const engine = this.engines.get(platform)!;
    engine.useMappings(new IdMapper(await this.mappings.load(this.dataSource, platform)));
    const wanted = await this.store.wantedOf(this.dataSource, platform);
    for (const row of wanted) engine.offer(row satisfies WantedStock);
    return { offered: wanted.length };
  }

  /** Whether the platform is configured here. */
  has(platform: string): boolean {
    return this.engines.has(platform);
  }

  /** Sync health of one platform. */
  async health(platform: string): Promise<SyncHealthView> {
    const engine = this.engines.get(platform)!;
    const backlog = await this.store.backlogOf(this.dataSource, platform);
    return {
      platform,
      kind: this.byChannel.get(platform)!.kind,
      lastSuccessAt: engine.lastSuccessAt ? new Date(engine.lastSuccessAt).toISOString() : null,
      pendingPushes: engine.pending,
      unacknowledged: backlog.unacknowledged,
      oldestUnacknowledgedAt: backlog.oldestObservedAt,
      unmapped: await this.store.unmappedOf(this.dataSource, platform),
    };
  }
}
