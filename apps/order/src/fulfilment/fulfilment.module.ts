import { Module } from '@nestjs/common';
import { OutboxWriter } from '@omni/messaging';
import { Clock } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { OrderStore } from '../orders/order.store';
import { ORDER_CLOCK } from '../wiring/order.tokens';
import { FulfilmentService } from './fulfilment.service';

/** Picking, packing, pickup and delivery steps of a paid order. */
@Module({
  providers: [
    {
      provide: FulfilmentService,
      inject: [DataSource, OrderStore, OutboxWriter, ORDER_CLOCK],
      useFactory: (ds: DataSource, store: OrderStore, outbox: OutboxWriter, clock: Clock) => new FulfilmentService(ds, store, outbox, clock),
    },
  ],
  exports: [FulfilmentService],
})
export class FulfilmentModule {}
