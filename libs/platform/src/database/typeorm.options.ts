import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { messagingMigrations } from '@omni/messaging';
import type { ServiceEnv } from '../config/service-env';
import { IdempotencyRecords1764300000000 } from '../idempotency/idempotency-records.migration';
import type { ClassRef, ServiceDefinition } from '../service-definition';
import { pgPoolOptions } from './pg-pool.options';

/** Migrations every service runs besides its own: messaging's outbox and inbox tables, and the idempotency records. */
export const PLATFORM_MIGRATIONS: readonly ClassRef[] = [...messagingMigrations, IdempotencyRecords1764300000000];

/** TypeORM options: postgres, migrations run at start-up, never synchronize. */
export function typeOrmOptions(def: ServiceDefinition, config: ServiceEnv): TypeOrmModuleOptions {
  const pool = pgPoolOptions(def.name, config);
  return {
    type: 'postgres',
    url: pool.connectionString,
    applicationName: pool.application_name,
    entities: def.entities,
    migrations: [...PLATFORM_MIGRATIONS, ...def.migrations],
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    connectTimeoutMS: pool.connectionTimeoutMillis,
    extra: { max: pool.max, ...(pool.Client ? { Client: pool.Client } : {}) },
    // Fail start-up within seconds when the database is missing; the orchestrator restarts us.
    retryAttempts: 3,
    retryDelay: 1_000,
  };
}
