import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
import { Clock, ParticipantRegistry, TccCoordinator, TccCoordinatorModule, TccCoordinatorObserver } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { OrderEnv } from '../config/order.config';
import { ORDER_CLOCK } from '../wiring/order.tokens';
import { DecisionWaiter } from './decision.waiter';
import { OrderSagaListener } from './order-saga.listener';
import { ORDER_TCC_OBSERVER, SagaPartsModule } from './saga-parts.module';
import { SagaTransportProbe } from './saga-transport.probe';
import { TccReplyHandler } from './tcc-reply.handler';
import { TccStatusController } from './tcc-status.controller';
import { TccStatusService } from './tcc-status.service';

/** The order saga: the coordinator and its recovery loop, the reply handler, decision waits and the participants' status query. */
@Module({
  imports: [
    TccCoordinatorModule.forRootAsync({
      imports: [SagaPartsModule],
      inject: [SERVICE_CONFIG, DataSource, ParticipantRegistry, OrderSagaListener, SagaTransportProbe, ORDER_TCC_OBSERVER, ORDER_CLOCK],
      useFactory: (
        env: OrderEnv,
        dataSource: DataSource,
        participants: ParticipantRegistry,
        listener: OrderSagaListener,
        transport: SagaTransportProbe,
        observer: TccCoordinatorObserver,
        clock: Clock,
      ) => ({
        dataSource,
        coordinator: {
          participants,
          listener,
          transport,
          observer,
          clock,
          retry: {
            initialMs: env.ORDER_TCC_RETRY_INITIAL_MS,
            maxMs: env.ORDER_TCC_RETRY_MAX_MS,
            alertAfter: env.ORDER_TCC_ALERT_AFTER,
            alertAfterMs: env.ORDER_TCC_ALERT_AFTER_MS,
            tryResendMs: env.ORDER_TCC_TRY_RESEND_MS,
          },
        },
        recovery: { intervalMs: env.ORDER_TCC_RECOVERY_INTERVAL_MS, maxIdleMs: env.ORDER_TCC_RECOVERY_MAX_IDLE_MS, leaseMs: env.ORDER_TCC_LEASE_MS },
      }),
    }),
  ],
  controllers: [TccStatusController],
  providers: [
    DecisionWaiter,
    TccReplyHandler,
    { provide: TccStatusService, inject: [DataSource, TccCoordinator], useFactory: (ds: DataSource, coordinator: TccCoordinator) => new TccStatusService(ds, coordinator) },
  ],
  exports: [TccCoordinatorModule, DecisionWaiter],
})
export class SagaModule {}
