import { describeServiceBoot } from '@omni/platform/testing';
import { AppModule } from '../src/app.module';

describeServiceBoot('o2o-connector', AppModule, { migrations: ['O2oConnectorInit1763700000000', 'MessagingTables1763769600000', 'O2oStockSync1766000000000', 'O2oPlatformOrders1766100000000'] });
