import { Module } from '@nestjs/common';
import { PointsLedgerStore } from '../points/points-ledger.store';
import { PointsModule } from '../points/points.module';
import { PointsService } from '../points/points.service';
import { MemberEvents } from '../shared/member-events';
import { OrderPaidHandler } from './order-paid.handler';
import { OrderRefundRequiredHandler } from './order-refund-required.handler';
import { OrderRefundService } from './order-refund.service';

/** What the order service's events do to members: points earned on order-paid, reversed (and gift cards refunded) on order-refund-required. */
@Module({
  imports: [PointsModule],
  providers: [
    {
      provide: OrderRefundService,
      inject: [PointsService, PointsLedgerStore, MemberEvents],
      useFactory: (points: PointsService, ledger: PointsLedgerStore, events: MemberEvents) => new OrderRefundService(points, ledger, events),
    },
    OrderPaidHandler,
    OrderRefundRequiredHandler,
  ],
  exports: [OrderRefundService],
})
export class OrderEventsModule {}
