import { Module } from '@nestjs/common';
import { OutboxWriter } from '@omni/messaging';
import { MetricsService, SERVICE_CONFIG } from '@omni/platform';
import { Counter } from 'prom-client';
import { Clock, TccCoordinator } from '@omni/tcc';
import { DataSource } from 'typeorm';
import { OrderEnv } from '../config/order.config';
import { FaultInjector } from '../fault/fault-injector';
import { FulfilmentModule } from '../fulfilment/fulfilment.module';
import { ReturnsModule } from '../returns/returns.module';
import { InventoryStockClient } from '../routing/inventory-stock.client';
import { DecisionWaiter } from '../saga/decision.waiter';
import { SagaModule } from '../saga/saga.module';
import { ORDER_CLOCK, ORDER_STOCK_CLIENT } from '../wiring/order.tokens';
import { ChannelCancelService } from './channel-cancel.service';
import { MemberOrdersController } from './member-orders.controller';
import { MemberOrdersService } from './member-orders.service';
import { OrderController } from './order.controller';
import { OrderService } from './order.service';
import { OrderStore } from './order.store';

/** Orders from every channel: placing one (routing and its saga), reading it, and its fulfilment and return steps over HTTP. */
@Module({
  imports: [SagaModule, FulfilmentModule, ReturnsModule],
  controllers: [OrderController, MemberOrdersController],
  providers: [
    { provide: MemberOrdersService, inject: [DataSource], useFactory: (ds: DataSource) => new MemberOrdersService(ds) },
    {
      provide: OrderService,
      inject: [SERVICE_CONFIG, DataSource, OrderStore, TccCoordinator, OutboxWriter, DecisionWaiter, ORDER_STOCK_CLIENT, FaultInjector, ORDER_CLOCK, MetricsService],
      useFactory: (
        env: OrderEnv,
        ds: DataSource,
        store: OrderStore,
        coordinator: TccCoordinator,
        outbox: OutboxWriter,
        waiter: DecisionWaiter,
        stock: InventoryStockClient | null,
        faults: FaultInjector,
        clock: Clock,
        metrics: MetricsService,
      ) => {
        const soldOut = new Counter({
          name: 'order_orders_sold_out_total',
          help: "Orders refused with 409 SOLD_OUT before any order or saga was written, because inventory's ATP of a line's SKU on the channel was 0",
          labelNames: ['channel'],
          registers: [metrics.registry],
        });
        const settings = {
          paymentWindowMs: env.ORDER_PAYMENT_WINDOW_MS,
          paymentGraceMs: env.ORDER_PAYMENT_GRACE_MS,
          decisionTimeoutMs: env.ORDER_DECISION_TIMEOUT_MS,
          decisionWaitMs: env.ORDER_DECISION_WAIT_MS,
        };
        return new OrderService(ds, store, coordinator, outbox, waiter, stock, faults, clock, settings, (channel) => soldOut.inc({ channel }));
      },
    },
    {
      provide: ChannelCancelService,
      inject: [DataSource, OrderStore, TccCoordinator, OutboxWriter, ORDER_CLOCK],
      useFactory: (ds: DataSource, store: OrderStore, coordinator: TccCoordinator, outbox: OutboxWriter, clock: Clock) => new ChannelCancelService(ds, store, coordinator, outbox, clock),
    },
  ],
})
export class OrderModule {}
