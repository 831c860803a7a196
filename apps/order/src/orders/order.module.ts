import { Module } from '@nestjs/common';
import { MetricsService, SERVICE_CONFIG } from '@omni/platform';
import { MessagingRuntime, OutboxWriter, TopicNames } from '@omni/messaging';
import { Clock, ParticipantRegistry, promTccObserver, SystemClock, TccCoordinator, TccCoordinatorModule } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { DEV_PAYMENT_SECRET, OrderEnv } from '../config/order.config';
import { FaultInjector } from '../fault/fault-injector';
import { FulfilmentService } from '../fulfilment/fulfilment.service';
import { PaymentController } from '../payment/payment.controller';
import { PaymentService } from '../payment/payment.service';
import { ReturnsService } from '../returns/returns.service';
import { InventoryStockClient } from '../routing/inventory-stock.client';
import { DecisionWaiter } from '../saga/decision.waiter';
import { OrderSagaListener } from '../saga/order-saga.listener';
import { SagaTransportProbe } from '../saga/saga-transport.probe';
import { orderSagaParticipants } from '../saga/participants';
import { TccReplyHandler } from '../saga/tcc-reply.handler';
import { TccStatusController } from '../saga/tcc-status.controller';
import { TccStatusService } from '../saga/tcc-status.service';
import { OrderController } from './order.controller';
import { OrderService } from './order.service';
import { OrderStore } from './order.store';

/** The clock every order decision uses. */
export const ORDER_CLOCK = Symbol('ORDER_CLOCK');

const clock: Clock = new SystemClock();
const store = new OrderStore();
const outboxOf = (env: OrderEnv): OutboxWriter => new OutboxWriter(new TopicNames(env.KAFKA_TOPIC_PREFIX));

/** Orders, their saga (coordinator + recovery loop + reply handler), payment, fulfilment and returns. */
@Module({
  imports: [
    TccCoordinatorModule.forRootAsync({
      inject: [SERVICE_CONFIG, DataSource, MetricsService, MessagingRuntime],
      useFactory: (env: OrderEnv, dataSource: DataSource, metrics: MetricsService, messaging: MessagingRuntime) => {
        const outbox = outboxOf(env);
        return {
          dataSource,
          coordinator: {
            participants: new ParticipantRegistry(outbox, orderSagaParticipants(clock)),
            listener: new OrderSagaListener(store, outbox, clock, env.ORDER_PAYMENT_GRACE_MS),
            // Nothing is resent while commands cannot leave or replies cannot come back.
            transport: new SagaTransportProbe(messaging, env.ORDER_TCC_BACKLOG_HOLD_MS, env.ORDER_TCC_TRY_RESEND_MS),
            observer: promTccObserver(metrics.registry),
            clock,
            retry: {
              initialMs: env.ORDER_TCC_RETRY_INITIAL_MS,
              maxMs: env.ORDER_TCC_RETRY_MAX_MS,
              alertAfter: env.ORDER_TCC_ALERT_AFTER,
              alertAfterMs: env.ORDER_TCC_ALERT_AFTER_MS,
              tryResendMs: env.ORDER_TCC_TRY_RESEND_MS,
            },
          },
          recovery: { intervalMs: env.ORDER_TCC_RECOVERY_INTERVAL_MS, leaseMs: env.ORDER_TCC_LEASE_MS },
        };
      },
    }),
  ],
  controllers: [OrderController, PaymentController, TccStatusController],
  providers: [
    { provide: ORDER_CLOCK, useValue: clock },
    { provide: FaultInjector, inject: [SERVICE_CONFIG], useFactory: (env: OrderEnv) => new FaultInjector(env.ORDER_FAULT_AT) },
    DecisionWaiter,
    TccReplyHandler,
    { provide: TccStatusService, inject: [DataSource, TccCoordinator], useFactory: (ds: DataSource, coordinator: TccCoordinator) => new TccStatusService(ds, coordinator) },
    {
      provide: OrderService,
      inject: [SERVICE_CONFIG, DataSource, TccCoordinator, DecisionWaiter, FaultInjector],
      useFactory: (env: OrderEnv, ds: DataSource, coordinator: TccCoordinator, waiter: DecisionWaiter, faults: FaultInjector) =>
        new OrderService(
          ds,
          store,
          coordinator,
          outboxOf(env),
          waiter,
          env.ORDER_INVENTORY_URL ? new InventoryStockClient(env.ORDER_INVENTORY_URL, env.ORDER_ROUTING_TIMEOUT_MS) : null,
          faults,
          clock,
          {
            paymentWindowMs: env.ORDER_PAYMENT_WINDOW_MS,
            paymentGraceMs: env.ORDER_PAYMENT_GRACE_MS,
            decisionTimeoutMs: env.ORDER_DECISION_TIMEOUT_MS,
            decisionWaitMs: env.ORDER_DECISION_WAIT_MS,
          },
        ),
    },
    {
      provide: PaymentService,
      inject: [SERVICE_CONFIG, DataSource, TccCoordinator, FaultInjector],
      useFactory: (env: OrderEnv, ds: DataSource, coordinator: TccCoordinator, faults: FaultInjector) =>
        new PaymentService(ds, store, coordinator, outboxOf(env), faults, clock, env.ORDER_PAYMENT_SECRET || DEV_PAYMENT_SECRET, env.ORDER_PAYMENT_CLOCK_SKEW_MS),
    },
    { provide: FulfilmentService, inject: [SERVICE_CONFIG, DataSource], useFactory: (env: OrderEnv, ds: DataSource) => new FulfilmentService(ds, store, outboxOf(env), clock) },
    { provide: ReturnsService, inject: [SERVICE_CONFIG, DataSource], useFactory: (env: OrderEnv, ds: DataSource) => new ReturnsService(ds, store, outboxOf(env), clock) },
  ],
})
export class OrderModule {}
