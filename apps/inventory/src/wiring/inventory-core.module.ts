import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { OutboxWriter } from '@omni/messaging';
import { createPgPool, MetricsService, REDIS_CLIENT, SERVICE_CONFIG } from '@omni/platform';
import { Clock, SystemClock } from '@omni/tcc';
import type Redis from 'ioredis';
import { Pool } from 'pg';
import { LowStockAlertingSink } from '../alerts/low-stock-alerting.sink';
import { LowStockMonitor } from '../alerts/low-stock.monitor';
import { InventoryEnv } from '../config/inventory.config';
import { AtpCache } from '../redis-gate/atp-cache';
import { promAtpRebuildObserver } from '../redis-gate/atp-rebuild.metrics';
import { AtpReconciler } from '../redis-gate/atp.reconciler';
import { loadReservationConfig, ReservationConfig } from '../reservation/reservation.config';
import { OutboxStockChangedSink } from '../stock/outbox-stock-changed.sink';
import { StockChangedSink, StockLedger } from '../stock/stock-ledger';
import { ATP_REDIS, INVENTORY_CLOCK, INVENTORY_PG_POOL, STOCK_CHANGED_SINK } from './inventory.tokens';

/** Ends what the core module opened (the service's own pg pool, the gate's Redis connection) once everything else has stopped. */
@Injectable()
export class InventoryCoreLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('InventoryCore');

  constructor(
    @Inject(INVENTORY_PG_POOL) private readonly pool: Pool,
    @Inject(ATP_REDIS) private readonly atpRedis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.atpRedis.disconnect();
    try {
      await this.pool.end();
    } catch (error) {
      this.logger.warn(`closing the pg pool failed: ${(error as Error).message}`);
    }
  }
}

/**
 * What every stock feature of inventory shares, each created once: the clock, the participant's
 * configuration, the pg pool of the hot paths, the ATP cache and its reconciler, and the one stock
 * ledger (whose sink writes stock-changed and raises stock-low). Global, and a global module stops
 * last, so the pool and Redis outlive the features that use them.
 */
@Global()
@Module({
  providers: [
    { provide: INVENTORY_CLOCK, useClass: SystemClock },
    { provide: ReservationConfig, useFactory: () => loadReservationConfig() },
    // A pool of the service's own, on the settings of TypeORM's: the hot path talks to pg directly.
    { provide: INVENTORY_PG_POOL, inject: [SERVICE_CONFIG], useFactory: (env: InventoryEnv) => createPgPool('inventory', env) },
    {
      provide: ATP_REDIS,
      inject: [REDIS_CLIENT],
      // Its own connection with auto-pipelining: the gate's calls from concurrent requests in one
      // tick go out in one write, which is most of what a sold-out refusal costs.
      useFactory: (redis: Redis) => redis.duplicate({ enableAutoPipelining: true }),
    },
    { provide: AtpCache, inject: [ATP_REDIS, ReservationConfig], useFactory: (redis: Redis, config: ReservationConfig) => new AtpCache(redis, 'atp', config.ATP_GATE_MEMO_MS) },
    {
      provide: AtpReconciler,
      inject: [INVENTORY_PG_POOL, AtpCache, ReservationConfig, MetricsService],
      useFactory: (pool: Pool, cache: AtpCache, config: ReservationConfig, metrics: MetricsService) =>
        new AtpReconciler(pool, cache, config.INVENTORY_CHANNELS, { observer: promAtpRebuildObserver(metrics.registry) }),
    },
    { provide: LowStockMonitor, inject: [OutboxWriter], useFactory: (outbox: OutboxWriter) => new LowStockMonitor(outbox) },
    { provide: OutboxStockChangedSink, inject: [OutboxWriter], useFactory: (outbox: OutboxWriter) => new OutboxStockChangedSink(outbox) },
    {
      provide: STOCK_CHANGED_SINK,
      inject: [OutboxStockChangedSink, LowStockMonitor],
      useFactory: (outbox: OutboxStockChangedSink, monitor: LowStockMonitor) => new LowStockAlertingSink(outbox, monitor),
    },
    {
      provide: StockLedger,
      inject: [STOCK_CHANGED_SINK, ReservationConfig, INVENTORY_CLOCK],
      // Every stock change (Try, Confirm, Cancel, operations, transfers, returns) emits through this sink, so it raises stock-low.
      useFactory: (sink: StockChangedSink, config: ReservationConfig, clock: Clock) => new StockLedger(sink, { activeChannels: config.INVENTORY_CHANNELS, clock }),
    },
    InventoryCoreLifecycle,
  ],
  exports: [INVENTORY_CLOCK, ReservationConfig, INVENTORY_PG_POOL, ATP_REDIS, AtpCache, AtpReconciler, LowStockMonitor, StockLedger],
})
export class InventoryCoreModule {}
