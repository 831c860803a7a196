import { describeServiceBoot } from '@omni/platform/testing';
import { AppModule } from '../src/app.module';

describeServiceBoot('inventory', AppModule, { migrations: ['InventoryInit1763700000000', 'MessagingTables1763769600000'] });
