import { Module } from '@nestjs/common';
import { MetricsService, ServiceCredentials } from '@omni/platform';
import { Clock, HELD_BRANCH_SETTINGS, HeldBranchResolver, HeldBranchSettings, heldBranchSettingsFrom, HttpCoordinatorStatusQuery, promHeldBranchObserver, TCC_COORDINATOR_SERVICE } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { PRICING_CLOCK } from '../shared/pricing.tokens';
import { QuoteLockController } from './quote-lock.controller';
import { QuoteLockCommandHandler } from './quote-lock.handler';
import { QuoteLockHolds } from './quote-lock-holds.store';
import { QuoteLockService } from './quote-lock.service';
import { QuoteLockTasks } from './quote-lock.tasks';

/** The quote lock: a TCC participant over HTTP and Kafka; locks held past their deadline are settled with the coordinator. */
@Module({
  controllers: [QuoteLockController],
  providers: [
    { provide: QuoteLockService, inject: [DataSource, PRICING_CLOCK], useFactory: (ds: DataSource, clock: Clock) => new QuoteLockService(ds, clock) },
    { provide: HELD_BRANCH_SETTINGS, useFactory: () => heldBranchSettingsFrom() },
    { provide: QuoteLockHolds, inject: [DataSource, QuoteLockService], useFactory: (ds: DataSource, locks: QuoteLockService) => new QuoteLockHolds(ds, locks) },
    {
      provide: HttpCoordinatorStatusQuery,
      inject: [HELD_BRANCH_SETTINGS, ServiceCredentials],
      useFactory: (held: HeldBranchSettings, credentials: ServiceCredentials) =>
        new HttpCoordinatorStatusQuery({ baseUrls: held.coordinatorUrls, headers: () => ({ ...credentials.headerFor(TCC_COORDINATOR_SERVICE) }) }),
    },
    {
      provide: HeldBranchResolver,
      inject: [QuoteLockHolds, HttpCoordinatorStatusQuery, PRICING_CLOCK, MetricsService],
      useFactory: (store: QuoteLockHolds, coordinator: HttpCoordinatorStatusQuery, clock: Clock, metrics: MetricsService) =>
        new HeldBranchResolver({ store, coordinator, clock, observer: promHeldBranchObserver(metrics.registry, 'pricing') }),
    },
    QuoteLockCommandHandler,
    QuoteLockTasks,
  ],
  exports: [QuoteLockService, HeldBranchResolver],
})
export class QuoteLockModule {}
