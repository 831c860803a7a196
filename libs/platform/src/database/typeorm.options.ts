import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { messagingMigrations } from '@omni/messaging';
import type { ServiceEnv } from '../config/service-env';
import { IdempotencyRecords1764300000000 } from '../idempotency/idempotency-records.migration';
import type { ClassRef, ServiceDefinition } from '../service-definition';
import { PreparedStatementClient } from './prepared-statement.client';

/** Migrations every service runs besides its own: messaging's outbox and inbox tables, and the idempotency records. */
export const PLATFORM_MIGRATIONS: readonly ClassRef[] = [...messagingMigrations, IdempotencyRecords1764300000000];

/** TypeORM options: postgres, migrations run at start-up, never synchronize. */
export function typeOrmOptions(def: ServiceDefinition, config: ServiceEnv): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    applicationName: def.name,
    entities: def.entities,
    migrations: [...PLATFORM_MIGRATIONS, ...def.migrations],
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    connectTimeoutMS: 3_000,
    extra: {
      max: config.DB_POOL_SIZE,
      // pg sends it as a start-up parameter of every pooled connection (0 leaves the server's own).
      ...(config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS > 0 ? { idle_in_transaction_session_timeout: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS } : {}),
      ...(config.DB_PREPARED_STATEMENTS ? { Client: PreparedStatementClient } : {}),
    },
    // Fail start-up within seconds when the database is missing; the orchestrator restarts us.
    retryAttempts: 3,
    retryDelay: 1_000,
  };
}
