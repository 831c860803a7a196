import { describeServiceBoot } from '@omni/platform/testing';
import { AppModule } from '../src/app.module';

describeServiceBoot('order', AppModule, { migrations: ['OrderInit1763700000000', 'MessagingTables1763769600000'] });
