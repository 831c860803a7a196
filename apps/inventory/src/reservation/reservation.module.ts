import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MESSAGING_OPTIONS, MessagingModuleOptions, OutboxWriter, TopicNames } from '@omni/messaging';
import { MetricsService, REDIS_CLIENT } from '@omni/platform';
import { Clock, HELD_BRANCH_SETTINGS, HeldBranchResolver, heldBranchSettingsFrom, HeldBranchSettings, HttpCoordinatorStatusQuery, promHeldBranchObserver, SystemClock } from '@omni/tcc';
import type Redis from 'ioredis';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AlertsModule } from '../alerts/alerts.module';
import { LowStockAlertingSink } from '../alerts/low-stock-alerting.sink';
import { LowStockMonitor } from '../alerts/low-stock.monitor';
import { AtpCache } from '../redis-gate/atp-cache';
import { AtpReconciler } from '../redis-gate/atp.reconciler';
import { OutboxStockChangedSink } from '../stock/outbox-stock-changed.sink';
import { StockLedger } from '../stock/stock-ledger';
import { AtpReader } from './persistence/atp.reader';
import { PgTxRunner } from './persistence/pg-tx.runner';
import { ReservationHolds } from './persistence/reservation-holds.store';
import { AtpController, ReservationController } from './transport/reservation.controller';
import { loadReservationConfig, ReservationConfig } from './reservation.config';
import { ReservationService } from './reservation.service';
import { ReservationCommandHandler } from './transport/reservation-command.handler';
import { ReservationCommandService } from './reservation-command.service';

/** Injection token of the pg pool behind TypeORM (the hot path talks to pg directly). */
export const INVENTORY_PG_POOL = Symbol('INVENTORY_PG_POOL');
/** Injection token of the Redis connection of the ATP cache and gate. */
export const ATP_REDIS = Symbol('ATP_REDIS');
/** Injection token of the clock deadlines and expiry use. */
export const INVENTORY_CLOCK = Symbol('INVENTORY_CLOCK');

/**
 * Rebuilds the Redis ATP cache at start-up, then runs the reconciler and the held-reservation
 * resolver (reservations past their deadline, settled by asking the order saga) until shutdown.
 */
@Injectable()
export class ReservationBackgroundTasks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reservations');
  private reconcileTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: ReservationConfig,
    private readonly reconciler: AtpReconciler,
    private readonly holds: HeldBranchResolver,
    @Inject(HELD_BRANCH_SETTINGS) private readonly held: HeldBranchSettings,
    @Inject(ATP_REDIS) private readonly atpRedis: Redis,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const report = await this.reconciler.rebuildAll();
      this.logger.log(`ATP cache rebuilt for ${report.rebuilt} SKUs`);
    } catch (error) {
      // Redis only ever refuses early; without it Postgres decides everything, so start anyway.
      this.logger.warn(`ATP cache rebuild failed: ${(error as Error).message}`);
    }
    this.holds.start(this.held.intervalMs, (error) => this.logger.warn(`held reservation check failed: ${(error as Error).message}`));
    if (this.config.ATP_RECONCILE_INTERVAL_MS > 0) {
      this.reconcileTimer = setInterval(() => {
        this.reconciler.reconcile().catch((error: unknown) => this.logger.warn(`ATP reconcile failed: ${(error as Error).message}`));
      }, this.config.ATP_RECONCILE_INTERVAL_MS);
      this.reconcileTimer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    await this.holds.stop();
    this.atpRedis.disconnect();
  }
}

/** The reservation TCC participant: HTTP for POS, Kafka for the order saga, expiry and the Redis gate. */
@Module({
  imports: [AlertsModule],
  controllers: [ReservationController, AtpController],
  providers: [
    { provide: ReservationConfig, useFactory: () => loadReservationConfig() },
    { provide: INVENTORY_CLOCK, useValue: new SystemClock() },
    {
      provide: INVENTORY_PG_POOL,
      inject: [DataSource],
      // TypeORM's postgres driver keeps its pg.Pool as `master`.
      useFactory: (ds: DataSource) => (ds.driver as unknown as { master: Pool }).master,
    },
    { provide: OutboxWriter, inject: [MESSAGING_OPTIONS], useFactory: (o: MessagingModuleOptions) => new OutboxWriter(new TopicNames(o.topicPrefix)) },
    {
      provide: ATP_REDIS,
      inject: [REDIS_CLIENT],
      // Its own connection with auto-pipelining: the gate's calls from concurrent requests in one
      // tick go out in one write, which is most of what a sold-out refusal costs.
      useFactory: (redis: Redis) => redis.duplicate({ enableAutoPipelining: true }),
    },
    { provide: AtpCache, inject: [ATP_REDIS, ReservationConfig], useFactory: (redis: Redis, c: ReservationConfig) => new AtpCache(redis, 'atp', c.ATP_GATE_MEMO_MS) },
    {
      provide: ReservationService,
      inject: [INVENTORY_PG_POOL, OutboxWriter, AtpCache, ReservationConfig, INVENTORY_CLOCK, LowStockMonitor],
      useFactory: (pool: Pool, outbox: OutboxWriter, cache: AtpCache, config: ReservationConfig, clock: Clock, monitor: LowStockMonitor) => {
        // Every stock change of the participant (Try, Confirm, Cancel, expiry) emits through this sink, so it raises stock-low.
        const sink = new LowStockAlertingSink(new OutboxStockChangedSink(outbox), monitor);
        const ledger = new StockLedger(sink, { activeChannels: config.INVENTORY_CHANNELS, clock });
        return new ReservationService(new PgTxRunner(pool), outbox, ledger, cache, { activeChannels: config.INVENTORY_CHANNELS, clock });
      },
    },
    {
      provide: AtpReconciler,
      inject: [INVENTORY_PG_POOL, AtpCache, ReservationConfig],
      useFactory: (pool: Pool, cache: AtpCache, config: ReservationConfig) => new AtpReconciler(pool, cache, config.INVENTORY_CHANNELS),
    },
    { provide: HELD_BRANCH_SETTINGS, useFactory: () => heldBranchSettingsFrom() },
    {
      provide: HeldBranchResolver,
      inject: [INVENTORY_PG_POOL, ReservationService, HELD_BRANCH_SETTINGS, INVENTORY_CLOCK, MetricsService],
      useFactory: (pool: Pool, service: ReservationService, held: HeldBranchSettings, clock: Clock, metrics: MetricsService) =>
        new HeldBranchResolver({
          store: new ReservationHolds(new PgTxRunner(pool), service),
          coordinator: new HttpCoordinatorStatusQuery({ baseUrls: held.coordinatorUrls }),
          clock,
          observer: promHeldBranchObserver(metrics.registry, 'inventory'),
        }),
    },
    {
      provide: AtpReader,
      inject: [INVENTORY_PG_POOL, ReservationConfig],
      useFactory: (pool: Pool, config: ReservationConfig) => new AtpReader(pool, config.INVENTORY_CHANNELS),
    },
    {
      provide: ReservationCommandService,
      inject: [ReservationService, OutboxWriter, AtpReconciler, INVENTORY_CLOCK],
      useFactory: (service: ReservationService, outbox: OutboxWriter, reconciler: AtpReconciler, clock: Clock) =>
        new ReservationCommandService(service, outbox, reconciler, clock),
    },
    ReservationCommandHandler,
    ReservationBackgroundTasks,
  ],
  exports: [ReservationService, AtpCache, AtpReconciler],
})
export class ReservationModule {}

