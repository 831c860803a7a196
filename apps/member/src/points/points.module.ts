import { Module } from '@nestjs/common';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { MemberEvents } from '../shared/member-events';
import { MemberSettings } from '../shared/member.settings';
import { MEMBER_CLOCK, MEMBER_SETTINGS } from '../shared/member.tokens';
import { PointsController } from './points.controller';
import { PointsHistoryController } from './points-history.controller';
import { PointsHistoryService } from './points-history.service';
import { PointsLedgerStore } from './points-ledger.store';
import { PointsService } from './points.service';

/** Points: the ledger, earning (over HTTP; order-events earns on order-paid), reversal and expiry. */
@Module({
  controllers: [PointsController, PointsHistoryController],
  providers: [
    { provide: PointsLedgerStore, inject: [MemberEvents], useFactory: (events: MemberEvents) => new PointsLedgerStore(events) },
    {
      provide: PointsService,
      inject: [DataSource, PointsLedgerStore, MemberEvents, MEMBER_CLOCK, MEMBER_SETTINGS],
      useFactory: (ds: DataSource, ledger: PointsLedgerStore, events: MemberEvents, clock: Clock, settings: MemberSettings) => new PointsService(ds, ledger, events, clock, settings),
    },
    { provide: PointsHistoryService, inject: [DataSource], useFactory: (ds: DataSource) => new PointsHistoryService(ds) },
  ],
  exports: [PointsLedgerStore, PointsService],
})
export class PointsModule {}
