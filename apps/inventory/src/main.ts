import '@omni/platform/tracing';
import { bootstrapService } from '@omni/platform';
import { AppModule } from './app.module';

void bootstrapService(AppModule);
