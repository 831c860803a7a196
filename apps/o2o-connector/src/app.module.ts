import { Module } from '@nestjs/common';
import { EVENT_CONTRACTS } from '@omni/contracts';
import { PlatformModule } from '@omni/platform';
import { O2oConnectorEnv } from './config/o2o-connector.config';
import { O2oConnectorInit1763700000000 } from './migrations/1763700000000-init.migration';
import { O2oStockSync1766000000000 } from './migrations/1766000000000-stock-sync.migration';
import { O2oPlatformOrders1766100000000 } from './migrations/1766100000000-platform-orders.migration';
import { OrderIntakeModule } from './order-intake/order-intake.module';
import { PriceSyncModule } from './price-sync/price-sync.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { StatusSyncModule } from './status-sync/status-sync.module';
import { StockSyncModule } from './stock-sync/stock-sync.module';

/** Adapters to delivery platforms and marketplaces: stock and price push, order intake, status sync. */
@Module({
  imports: [
    PlatformModule.forRoot({
      name: 'o2o-connector',
      defaultPort: 3006,
      env: O2oConnectorEnv,
      entities: [],
      migrations: [O2oConnectorInit1763700000000, O2oStockSync1766000000000, O2oPlatformOrders1766100000000],
      publishes: EVENT_CONTRACTS.filter((contract) => contract.source === 'o2o-connector'),
      // stock-changed, price-changed and the order events are consumed by @EventHandler methods.
      consumes: [],
      // Platform stock, prices and order statuses are pushed within a second, from long runs.
      gatheredGroups: ['o2o-connector'],
    }),
    StockSyncModule,
    PriceSyncModule,
    OrderIntakeModule,
    StatusSyncModule,
    ReconciliationModule,
  ],
})
export class AppModule {}
