import { Module } from '@nestjs/common';
import { SERVICE_CONFIG, ServiceCredentials } from '@omni/platform';
import { DEV_ORDER_PAYMENT_SECRET, type O2oConnectorEnv } from '../config/o2o-connector.config';
import { PlatformsModule } from '../platforms/platforms.module';
import { OrderIntakeService } from './order-intake.service';
import { OrderServiceClient } from './order-service.client';
import { PlatformOrderStore } from './platform-order.store';
import { WebhookController } from './webhook.controller';

/** Platform order intake (webhooks → our orders → the platform's answer). */
@Module({
  imports: [PlatformsModule],
  controllers: [WebhookController],
  providers: [
    PlatformOrderStore,
    {
      provide: OrderServiceClient,
      inject: [SERVICE_CONFIG, ServiceCredentials],
      useFactory: (env: O2oConnectorEnv, credentials: ServiceCredentials) =>
        new OrderServiceClient(env.O2O_ORDER_URL, env.O2O_ORDER_PAYMENT_SECRET || DEV_ORDER_PAYMENT_SECRET, credentials),
    },
    OrderIntakeService,
  ],
  exports: [PlatformOrderStore, OrderServiceClient],
})
export class OrderIntakeModule {}
