import { Module, type DynamicModule } from '@nestjs/common';
import { loadConfig } from './config/load-config';
import { ServiceEnv } from './config/service-env';
import { ShutdownClock } from './lifecycle/shutdown-clock';
import { MetricsService } from './metrics/metrics.service';
import { SERVICE_CONFIG, SERVICE_DEFINITION } from './platform.tokens';
import type { ServiceDefinition } from './service-definition';

/**
 * The service-wide singletons the other platform modules are built from: the service definition,
 * the validated config, the metrics registry and the shutdown clock. The env is read in the provider factory, i.e.
 * when the app is created, so tests can set process.env first.
 */
@Module({})
export class PlatformConfigModule {
  /** Global module with SERVICE_DEFINITION, SERVICE_CONFIG (also under the env class), MetricsService and ShutdownClock. */
  static forRoot(def: ServiceDefinition): DynamicModule {
    const EnvClass = def.env ?? ServiceEnv;
    const aliases = [...new Set([EnvClass, ServiceEnv])].map((token) => ({ provide: token, useExisting: SERVICE_CONFIG }));
    return {
      module: PlatformConfigModule,
      global: true,
      providers: [
        { provide: SERVICE_DEFINITION, useValue: def },
        { provide: SERVICE_CONFIG, useFactory: () => loadConfig(EnvClass, process.env, { service: def.name, defaultPort: def.defaultPort }) },
        { provide: MetricsService, useFactory: () => new MetricsService(def.name) },
        { provide: ShutdownClock, useFactory: () => new ShutdownClock() },
        ...aliases,
      ],
      exports: [SERVICE_DEFINITION, SERVICE_CONFIG, MetricsService, ShutdownClock, ...aliases.map((a) => a.provide)],
    };
  }
}
