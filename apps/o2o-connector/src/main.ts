import '@omni/platform/tracing';
import { bootstrapService } from '@omni/platform';
import { AppModule } from './app.module';

// Webhook signatures cover the exact bytes the platform sent.
void bootstrapService(AppModule, { rawBody: true });
