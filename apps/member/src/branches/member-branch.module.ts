import { Module } from '@nestjs/common';
import { MetricsService, ServiceCredentials } from '@omni/platform';
import { Clock, HELD_BRANCH_SETTINGS, HeldBranchResolver, HeldBranchSettings, heldBranchSettingsFrom, HttpCoordinatorStatusQuery, promHeldBranchObserver, TCC_COORDINATOR_SERVICE } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { PointsLedgerStore } from '../points/points-ledger.store';
import { PointsModule } from '../points/points.module';
import { MemberEvents } from '../shared/member-events';
import { MEMBER_CLOCK } from '../shared/member.tokens';
import { MemberBranchController } from './member-branch.controller';
import { MemberBranchCommandHandler } from './member-branch.handler';
import { MemberBranchHolds } from './member-branch-holds.store';
import { MemberBranchService } from './member-branch.service';
import { MemberBranchTasks } from './member-branch.tasks';

/** The member participant of the order saga over HTTP and Kafka; branches frozen past their deadline are settled with the coordinator. */
@Module({
  imports: [PointsModule],
  controllers: [MemberBranchController],
  providers: [
    {
      provide: MemberBranchService,
      inject: [DataSource, PointsLedgerStore, MemberEvents, MEMBER_CLOCK],
      useFactory: (ds: DataSource, ledger: PointsLedgerStore, events: MemberEvents, clock: Clock) => new MemberBranchService(ds, ledger, events, clock),
    },
    { provide: HELD_BRANCH_SETTINGS, useFactory: () => heldBranchSettingsFrom() },
    {
      provide: HeldBranchResolver,
      inject: [DataSource, MemberBranchService, HELD_BRANCH_SETTINGS, MEMBER_CLOCK, MetricsService, ServiceCredentials],
      useFactory: (ds: DataSource, branches: MemberBranchService, held: HeldBranchSettings, clock: Clock, metrics: MetricsService, credentials: ServiceCredentials) =>
        new HeldBranchResolver({
          store: new MemberBranchHolds(ds, branches),
          coordinator: new HttpCoordinatorStatusQuery({ baseUrls: held.coordinatorUrls, headers: () => ({ ...credentials.headerFor(TCC_COORDINATOR_SERVICE) }) }),
          clock,
          observer: promHeldBranchObserver(metrics.registry, 'member'),
        }),
    },
    MemberBranchCommandHandler,
    MemberBranchTasks,
  ],
  exports: [MemberBranchService, HeldBranchResolver],
})
export class MemberBranchModule {}
