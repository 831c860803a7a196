import { Global, Module } from '@nestjs/common';
import { SERVICE_CONFIG, ServiceCredentials } from '@omni/platform';
import { SystemClock } from '@omni/tcc';
import { OrderEnv } from '../config/order.config';
import { FaultInjector } from '../fault/fault-injector';
import { OrderStore } from '../orders/order.store';
import { InventoryStockClient } from '../routing/inventory-stock.client';
import { ORDER_CLOCK, ORDER_STOCK_CLIENT } from './order.tokens';

/**
 * What every feature of order shares, each created once: the clock, the order tables' store, the
 * fault injector of the crash tests and inventory's stock client. Global; the OutboxWriter comes
 * from the platform's messaging module.
 */
@Global()
@Module({
  providers: [
    { provide: ORDER_CLOCK, useClass: SystemClock },
    { provide: OrderStore, useClass: OrderStore },
    { provide: FaultInjector, inject: [SERVICE_CONFIG], useFactory: (env: OrderEnv) => new FaultInjector(env.ORDER_FAULT_AT) },
    {
      provide: ORDER_STOCK_CLIENT,
      inject: [SERVICE_CONFIG, ServiceCredentials],
      useFactory: (env: OrderEnv, credentials: ServiceCredentials) =>
        env.ORDER_INVENTORY_URL ? new InventoryStockClient(env.ORDER_INVENTORY_URL, credentials, env.ORDER_ROUTING_TIMEOUT_MS) : null,
    },
  ],
  exports: [ORDER_CLOCK, OrderStore, FaultInjector, ORDER_STOCK_CLIENT],
})
export class OrderCoreModule {}
