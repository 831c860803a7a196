import { Module } from '@nestjs/common';
import { OutboxWriter } from '@omni/messaging';
import { SERVICE_CONFIG } from '@omni/platform';
import { Clock, TccCoordinator } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { DEV_PAYMENT_SECRET, OrderEnv } from '../config/order.config';
import { FaultInjector } from '../fault/fault-injector';
import { OrderStore } from '../orders/order.store';
import { SagaModule } from '../saga/saga.module';
import { ORDER_CLOCK } from '../wiring/order.tokens';
import { PaymentController } from './payment.controller';
import { PaymentService } from './payment.service';

/** Signed payment callbacks: a capture confirms the saga, judged by when the provider captured it. */
@Module({
  imports: [SagaModule],
  controllers: [PaymentController],
  providers: [
    {
      provide: PaymentService,
      inject: [SERVICE_CONFIG, DataSource, OrderStore, TccCoordinator, OutboxWriter, FaultInjector, ORDER_CLOCK],
      useFactory: (env: OrderEnv, ds: DataSource, store: OrderStore, coordinator: TccCoordinator, outbox: OutboxWriter, faults: FaultInjector, clock: Clock) =>
        new PaymentService(ds, store, coordinator, outbox, faults, clock, env.ORDER_PAYMENT_SECRET || DEV_PAYMENT_SECRET, env.ORDER_PAYMENT_CLOCK_SKEW_MS),
    },
  ],
})
export class PaymentModule {}
