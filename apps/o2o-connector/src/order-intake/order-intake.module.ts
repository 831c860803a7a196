import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@omni/platform';
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
      inject: [SERVICE_CONFIG],
      useFactory: (env: O2oConnectorEnv) => new OrderServiceClient(env.O2O_ORDER_URL, env.O2O_ORDER_PAYMENT_SECRET || DEV_ORDER_PAYMENT_SECRET),
    },
    OrderIntakeService,
  ],
  exports: [PlatformOrderStore, OrderServiceClient],
})
export class OrderIntakeModule {}
