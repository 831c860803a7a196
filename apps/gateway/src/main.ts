import '@omni/platform/tracing';
import { bootstrapService } from '@omni/platform';
import { AppModule } from './app.module';
import { GATEWAY_APP_OPTIONS } from './gateway-app.options';

void bootstrapService(AppModule, GATEWAY_APP_OPTIONS);
