import { Module } from '@nestjs/common';
import { EVENT_CONTRACTS, TCC_BRANCH_REPLIED } from '@omni/contracts';
import { PlatformModule } from '@omni/platform';
import { TccCoordinatorHoldMigration1765000000000, TccCoordinatorMigration1763750000000 } from '@omni/tcc';
import { OrderEnv } from './config/order.config';
import { OrderInit1763700000000 } from './migrations/1763700000000-init.migration';
import { Orders1764000000000 } from './migrations/1764000000000-orders.migration';
import { OrderPromotions1764200000000 } from './migrations/1764200000000-order-promotions.migration';
import { ReturnRequestHash1765100000000 } from './migrations/1765100000000-return-request-hash.migration';
import { OrdersByMember1765300000000 } from './migrations/1765300000000-orders-by-member.migration';
import { FulfilmentModule } from './fulfilment/fulfilment.module';
import { OrderModule } from './orders/order.module';
import { PaymentModule } from './payment/payment.module';
import { ReturnsModule } from './returns/returns.module';
import { SagaModule } from './saga/saga.module';
import { OrderCoreModule } from './wiring/order-core.module';

/** The composition root of order: the platform, the shared providers (wiring/) and the features. Orders from every channel, the TCC saga coordinator, routing, payment, pickup, returns and refunds. */
@Module({
  imports: [
    PlatformModule.forRoot({
      name: 'order',
      defaultPort: 3003,
      env: OrderEnv,
      entities: [],
      migrations: [OrderInit1763700000000, TccCoordinatorMigration1763750000000, Orders1764000000000, OrderPromotions1764200000000, TccCoordinatorHoldMigration1765000000000, ReturnRequestHash1765100000000, OrdersByMember1765300000000],
      // Order events and the saga's commands to participants (their contracts are sourced 'order').
      publishes: EVENT_CONTRACTS.filter((contract) => contract.source === 'order'),
      consumes: EVENT_CONTRACTS.filter((contract) => contract.topic === TCC_BRANCH_REPLIED.topic),
    }),
    OrderCoreModule,
    SagaModule,
    OrderModule,
    PaymentModule,
    FulfilmentModule,
    ReturnsModule,
  ],
})
export class AppModule {}
