import { describeServiceBoot } from '@omni/platform/testing';
import { AppModule } from '../src/app.module';
import { ORDER_COLUMNS } from '../src/orders/order.store';

describeServiceBoot('order', AppModule, {
  migrations: ['OrderInit1763700000000', 'MessagingTables1763769600000'],
  columns: { orders: ORDER_COLUMNS.split(', ') },
});
