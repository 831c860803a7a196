import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingHealth, MessagingModule, promMessagingMetrics, type MessagingModuleOptions } from '@omni/messaging';
import { LoggerModule } from 'nestjs-pino';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { kafkaSecurityOf } from './config/kafka-security';
import type { ServiceEnv } from './config/service-env';
import { createServiceDataSource, typeOrmOptions } from './database/typeorm.options';
import { HealthController } from './health/health.controller';
import { KAFKA_READINESS } from './health/kafka-readiness';
import { SHUTDOWN_RESERVE, ShutdownClock } from './lifecycle/shutdown-clock';
import { loggerParams } from './logging/logger.options';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { PlatformConfigModule } from './platform-config.module';
import { REDIS_CLIENT, SERVICE_CONFIG } from './platform.tokens';
import { RedisLifecycle, redisClientProvider } from './redis/redis.provider';
import { ServiceAuthGuard } from './service-auth/service-auth.guard';
import { ServiceCredentials } from './service-auth/service-credentials';
import type { ServiceDefinition } from './service-definition';

/** Share of SHUTDOWN_TIMEOUT_MS each messaging shutdown step may take when the app is closed without a signal (tests). */
const MESSAGING_STEP_SHARE = 0.3;

/** Messaging options for one service, from its definition and config. */
export function messagingOptions(def: ServiceDefinition, env: ServiceEnv, dataSource: DataSource, metrics: MetricsService, clock?: ShutdownClock): MessagingModuleOptions {
  return {
    service: def.name,
    clientId: def.name,
    brokers: env.KAFKA_BROKERS,
    security: kafkaSecurityOf(env),
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
    publishes: def.publishes ?? [],
    consumes: def.consumes ?? [],
    dataSource,
    metrics: promMessagingMetrics(metrics.registry),
    consumer: { partitionsConsumedConcurrently: env.KAFKA_CONSUMER_CONCURRENCY },
    gatheredGroups: def.gatheredGroups ?? [],
    retention: { keepMs: env.DEDUP_RETENTION_MS, intervalMs: env.RETENTION_SWEEP_INTERVAL_MS, tables: def.dedupTables ?? [] },
    shutdownTimeoutMs: Math.max(1_000, Math.floor(env.SHUTDOWN_TIMEOUT_MS * MESSAGING_STEP_SHARE)),
    // After SIGTERM, consumers and the outbox flush share what is left of the one budget.
    shutdownRemainingMs: clock ? () => clock.remainingMs(SHUTDOWN_RESERVE.afterMessaging) : undefined,
  };
}

/**
 * Service-to-service authentication: the credentials this service presents to others, and, unless
 * it is a public entry, the global guard that requires one on every route but health and metrics.
 */
function serviceAuthProviders(def: ServiceDefinition): Provider[] {
  const credentials: Provider = {
    provide: ServiceCredentials,
    inject: [SERVICE_CONFIG],
    useFactory: (env: ServiceEnv) => new ServiceCredentials(def.name, env.SERVICE_AUTH_KEY[0]),
  };
  return (def.callers ?? 'services') === 'services' ? [credentials, { provide: APP_GUARD, useClass: ServiceAuthGuard }] : [credentials];
}

/**
 * Everything a service needs besides its features: typed config, JSON logging, TypeORM with
 * migrations, Redis, messaging (Outbox, @EventHandler consumers), health, metrics and service
 * credentials. Global, so feature modules inject SERVICE_CONFIG, REDIS_CLIENT, DataSource, Outbox,
 * MetricsService and ServiceCredentials without importing anything.
 */
@Module({})
export class PlatformModule implements NestModule {
  constructor(private readonly metrics: MetricsService) {}

  /** The platform for one service. */
  static forRoot(def: ServiceDefinition): DynamicModule {
    const config = PlatformConfigModule.forRoot(def);
    return {
      module: PlatformModule,
      global: true,
      imports: [
        config,
        LoggerModule.forRootAsync({
          imports: [config],
          inject: [SERVICE_CONFIG],
          useFactory: (env: ServiceEnv) => loggerParams(def.name, env),
        }),
        TypeOrmModule.forRootAsync({
          imports: [config],
          inject: [SERVICE_CONFIG],
          useFactory: (env: ServiceEnv) => typeOrmOptions(def, env),
          dataSourceFactory: (options) => createServiceDataSource(options as DataSourceOptions),
        }),
        MessagingModule.forRootAsync({
          imports: [config],
          inject: [SERVICE_CONFIG, DataSource, MetricsService, ShutdownClock],
          useFactory: (env: ServiceEnv, dataSource: DataSource, metrics: MetricsService, clock: ShutdownClock) => messagingOptions(def, env, dataSource, metrics, clock),
        }),
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [redisClientProvider(def.name), RedisLifecycle, { provide: KAFKA_READINESS, useExisting: MessagingHealth }, ...serviceAuthProviders(def)],
      exports: [config, REDIS_CLIENT, ServiceCredentials],
    };
  }

  /** Times every HTTP request for the duration histogram. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.metrics.middleware).forRoutes('*');
  }
}
