import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { PriceChangedEvent } from '@omni/contracts';
import { MetricsService, SERVICE_CONFIG } from '@omni/platform';
import type { SqlExecutor } from '@omni/sql';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import type { O2oConnectorEnv } from '../config/o2o-connector.config';
import { IdMapper } from '../domain/id-mapping';
import type { PlatformAdapter } from '../domain/platform-adapter.port';
import { MappingStore } from '../mappings/mapping.store';
import { PLATFORM_ADAPTERS } from '../platforms/platform-adapters.provider';
import { PushLeadershipService } from '../push/push-leadership.service';
import { PricePushEngine } from './price-push.engine';
import { PriceSyncStore, type WantedPrice } from './price-sync.store';

/** The channel each recorded wanted price is announced on, at its transaction's commit. */
export const WANTED_PRICE_CHANNEL = 'o2o_wanted_price';
/** Longest timer Node keeps; a price effective later waits for a resync. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Keeps each platform's prices in step with its channel's price in price-changed: every replica
 * records the newest version per SKU in the event's inbox transaction and announces it; the leading
 * replica pushes it once effective (a future price waits for its time), coalesced per SKU, under
 * the platform's shared rate limit, and resyncs what was not acknowledged when it becomes leader.
 * A base price (no channel) or another channel's price never reaches a platform.
 */
@Injectable()
export class PriceSyncService implements OnApplicationShutdown {
  private readonly logger = new Logger(PriceSyncService.name);
  private readonly engines = new Map<string, PricePushEngine>();
  private readonly adapters: Map<string, PlatformAdapter>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly acknowledgedTotal: Counter<'platform'>;

  constructor(
    @Inject(PLATFORM_ADAPTERS) adapters: PlatformAdapter[],
    @Inject(SERVICE_CONFIG) private readonly env: O2oConnectorEnv,
    metrics: MetricsService,
    private readonly dataSource: DataSource,
    private readonly store: PriceSyncStore,
    private readonly mappings: MappingStore,
    private readonly leadership: PushLeadershipService,
  ) {
    this.adapters = new Map(adapters.map((adapter) => [adapter.platform, adapter]));
    this.acknowledgedTotal = new Counter({ name: 'o2o_price_pushes_acknowledged_total', help: 'Prices the platform acknowledged', labelNames: ['platform'], registers: [metrics.registry] });
    leadership.register({
      channel: WANTED_PRICE_CHANNEL,
      won: async () => {
        for (const adapter of this.adapters.values()) this.engines.set(adapter.platform, this.makeEngine(adapter));
        for (const platform of this.engines.keys()) await this.resync(platform);
      },
      announced: (payload) => this.announced(payload),
      lost: () => this.stopAll(),
    });
  }

  /** Stops pushing. */
  onApplicationShutdown(): void {
    this.stopAll();
  }

  /** Records the price for the platform whose channel it names, in the event's transaction, and announces it. */
  async onPriceChanged(event: PriceChangedEvent, tx: SqlExecutor): Promise<void> {
    if (!event.channel || !this.adapters.has(event.channel)) return;
    const applied = await this.store.recordWanted(tx, event.channel, {
      sku: event.sku,
      amount: event.price.amount,
      currency: event.price.currency,
      version: event.version,
      effectiveFrom: event.effectiveFrom,
    });
    if (applied) await tx.query(`SELECT pg_notify($1, $2)`, [WANTED_PRICE_CHANNEL, JSON.stringify(applied)]);
  }

  /** Reloads a platform's mappings and offers every price it has not acknowledged. */
  async resync(platform: string): Promise<{ offered: number }> {
    const engine = this.engines.get(platform);
    if (!engine) return { offered: 0 };
    engine.useMappings(new IdMapper(await this.mappings.load(this.dataSource, platform)));
    const wanted = await this.store.unacknowledgedOf(this.dataSource, platform);
    for (const price of wanted) this.offerWhenEffective(platform, price);
    return { offered: wanted.length };
  }

  /** Prices waiting or in flight for a platform. */
  pendingOf(platform: string): number {
    return this.engines.get(platform)?.pending ?? 0;
  }

  private makeEngine(adapter: PlatformAdapter): PricePushEngine {
    const platform = adapter.platform;
    return new PricePushEngine(
      adapter,
      { windowMs: this.env.O2O_PUSH_WINDOW_MS, retryBaseMs: this.env.O2O_PUSH_RETRY_BASE_MS, retryMaxMs: this.env.O2O_PUSH_RETRY_MAX_MS, concurrency: this.env.O2O_PUSH_CONCURRENCY },
      this.leadership.bucketOf(platform),
      new IdMapper({ skus: [], stores: [] }),
      {
        acknowledged: (values) => {
          this.acknowledgedTotal.inc({ platform }, values.length);
          void this.store
            .acknowledge(this.dataSource, platform, values.map((push) => ({ sku: push.value.sku, version: push.version })))
            .catch((error: Error) => this.logger.warn(`price acknowledgement not stored: ${error.message}`));
        },
        failed: (kind, detail) => this.logger.warn(`${platform} price push failed (${kind}): ${detail}`),
        unmapped: (push) => this.logger.warn(`${platform} price of ${push.value.sku} not pushed: the SKU has no mapping`),
      },
    );
  }

  private announced(payload: string): void {
    try {
      const { platform, ...price } = JSON.parse(payload) as { platform: string } & WantedPrice;
      this.offerWhenEffective(platform, price);
    } catch (error) {
      this.logger.warn(`unreadable wanted-price announcement: ${(error as Error).message}`);
    }
  }

  private offerWhenEffective(platform: string, price: WantedPrice): void {
    const wait = price.effectiveFrom - Date.now();
    if (wait <= 0) return this.engines.get(platform)?.offer(price);
    if (wait > MAX_TIMER_MS) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.engines.get(platform)?.offer(price);
    }, wait);
    this.timers.add(timer);
  }

  private stopAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const engine of this.engines.values()) engine.stop();
    this.engines.clear();
  }
}
