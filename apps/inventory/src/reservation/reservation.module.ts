import { Inject, Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboxWriter } from '@omni/messaging';
import { FaultInjector, MetricsService, ServiceCredentials } from '@omni/platform';
import { Clock, HELD_BRANCH_SETTINGS, HeldBranchResolver, heldBranchSettingsFrom, HeldBranchSettings, HttpCoordinatorStatusQuery, promHeldBranchObserver, TCC_COORDINATOR_SERVICE } from '@omni/tcc';
import { Pool } from 'pg';
import { AtpCache } from '../redis-gate/atp-cache';
import { AtpReconciler } from '../redis-gate/atp.reconciler';
import { StockLedger } from '../stock/stock-ledger';
import { INVENTORY_CLOCK, INVENTORY_FAULTS, INVENTORY_PG_POOL } from '../wiring/inventory.tokens';
import { AtpReader } from './persistence/atp.reader';
import { PgTxRunner } from './persistence/pg-tx.runner';
import { ReservationHolds } from './persistence/reservation-holds.store';
import { ReservationConfig, type InventoryFaultPoint } from './reservation.config';
import { ReservationCommandService } from './reservation-command.service';
import { ReservationService } from './reservation.service';
import { ReservationCommandHandler } from './transport/reservation-command.handler';
import { AtpController, ReservationController } from './transport/reservation.controller';

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
  }
}

/** The reservation TCC participant: HTTP for POS, Kafka for the order saga, held branches and the Redis gate. */
@Module({
  controllers: [ReservationController, AtpController],
  providers: [
    { provide: PgTxRunner, inject: [INVENTORY_PG_POOL], useFactory: (pool: Pool) => new PgTxRunner(pool) },
    {
      provide: ReservationService,
      inject: [PgTxRunner, OutboxWriter, StockLedger, AtpCache, ReservationConfig, INVENTORY_CLOCK],
      useFactory: (db: PgTxRunner, outbox: OutboxWriter, ledger: StockLedger, cache: AtpCache, config: ReservationConfig, clock: Clock) =>
        new ReservationService(db, outbox, ledger, cache, { activeChannels: config.INVENTORY_CHANNELS, clock }),
    },
    { provide: HELD_BRANCH_SETTINGS, useFactory: () => heldBranchSettingsFrom() },
    { provide: ReservationHolds, inject: [PgTxRunner, ReservationService], useFactory: (db: PgTxRunner, service: ReservationService) => new ReservationHolds(db, service) },
    {
      provide: HttpCoordinatorStatusQuery,
      inject: [HELD_BRANCH_SETTINGS, ServiceCredentials],
      useFactory: (held: HeldBranchSettings, credentials: ServiceCredentials) =>
        new HttpCoordinatorStatusQuery({ baseUrls: held.coordinatorUrls, headers: () => ({ ...credentials.headerFor(TCC_COORDINATOR_SERVICE) }) }),
    },
    {
      provide: HeldBranchResolver,
      inject: [ReservationHolds, HttpCoordinatorStatusQuery, INVENTORY_CLOCK, MetricsService],
      useFactory: (store: ReservationHolds, coordinator: HttpCoordinatorStatusQuery, clock: Clock, metrics: MetricsService) =>
        new HeldBranchResolver({ store, coordinator, clock, observer: promHeldBranchObserver(metrics.registry, 'inventory') }),
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
    { provide: INVENTORY_FAULTS, inject: [ReservationConfig], useFactory: (config: ReservationConfig) => new FaultInjector<InventoryFaultPoint>(config.INVENTORY_FAULT_AT) },
    ReservationCommandHandler,
    ReservationBackgroundTasks,
  ],
})
export class ReservationModule {}
