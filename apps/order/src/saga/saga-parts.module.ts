import { Module } from '@nestjs/common';
import { MessagingRuntime, OutboxWriter } from '@omni/messaging';
import { MetricsService, SERVICE_CONFIG } from '@omni/platform';
import { Clock, ParticipantRegistry, promTccObserver } from '@omni/tcc';
import { OrderEnv } from '../config/order.config';
import { OrderStore } from '../orders/order.store';
import { ORDER_CLOCK } from '../wiring/order.tokens';
import { OrderSagaListener } from './order-saga.listener';
import { orderSagaParticipants } from './participants';
import { SagaTransportProbe } from './saga-transport.probe';

/** Injection token of the coordinator's observer (Prometheus counters, registered once). */
export const ORDER_TCC_OBSERVER = Symbol('ORDER_TCC_OBSERVER');

/** What the order saga's coordinator is built from: its participants, its listener, its transport probe and its observer. */
@Module({
  providers: [
    {
      provide: ParticipantRegistry,
      inject: [OutboxWriter, ORDER_CLOCK],
      useFactory: (outbox: OutboxWriter, clock: Clock) => new ParticipantRegistry(outbox, orderSagaParticipants(clock)),
    },
    {
      provide: OrderSagaListener,
      inject: [OrderStore, OutboxWriter, ORDER_CLOCK, SERVICE_CONFIG],
      useFactory: (store: OrderStore, outbox: OutboxWriter, clock: Clock, env: OrderEnv) => new OrderSagaListener(store, outbox, clock, env.ORDER_PAYMENT_GRACE_MS),
    },
    {
      provide: SagaTransportProbe,
      inject: [MessagingRuntime, SERVICE_CONFIG],
      // Nothing is resent while commands cannot leave or replies cannot come back.
      useFactory: (messaging: MessagingRuntime, env: OrderEnv) => new SagaTransportProbe(messaging, env.ORDER_TCC_BACKLOG_HOLD_MS, env.ORDER_TCC_TRY_RESEND_MS),
    },
    { provide: ORDER_TCC_OBSERVER, inject: [MetricsService], useFactory: (metrics: MetricsService) => promTccObserver(metrics.registry) },
  ],
  exports: [ParticipantRegistry, OrderSagaListener, SagaTransportProbe, ORDER_TCC_OBSERVER],
})
export class SagaPartsModule {}
