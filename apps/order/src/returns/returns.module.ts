import { Module } from '@nestjs/common';
import { OutboxWriter } from '@omni/messaging';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { OrderStore } from '../orders/order.store';
import { ORDER_CLOCK } from '../wiring/order.tokens';
import { ReturnsService } from './returns.service';

/** Returns received per line with their refund share, and their disposition. */
@Module({
  providers: [
    {
      provide: ReturnsService,
      inject: [DataSource, OrderStore, OutboxWriter, ORDER_CLOCK],
      useFactory: (ds: DataSource, store: OrderStore, outbox: OutboxWriter, clock: Clock) => new ReturnsService(ds, store, outbox, clock),
    },
  ],
  exports: [ReturnsService],
})
export class ReturnsModule {}
