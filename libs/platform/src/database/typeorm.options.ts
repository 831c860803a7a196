import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { messagingMigrations } from '@omni/messaging';
import type { ServiceEnv } from '../config/service-env';
import { IdempotencyRecords1764300000000 } from '../idempotency/idempotency-records.migration';
import type { ClassRef, ServiceDefinition } from '../service-definition';
import { runMigrationsLocked } from './locked-migrations';
import { pgPoolOptions } from './pg-pool.options';

/** Migrations every service runs besides its own: messaging's outbox and inbox tables, and the idempotency records. */
export const PLATFORM_MIGRATIONS: readonly ClassRef[] = [...messagingMigrations, IdempotencyRecords1764300000000];

/**
 * TypeORM options: postgres, never synchronize. `migrationsRun` says whether this process applies
 * the migrations (DB_MIGRATIONS `run` or `only`); the platform's data source factory does it under
 * an advisory lock (runMigrationsLocked), not TypeORM's unlocked start-up run.
 */
export function typeOrmOptions(def: ServiceDefinition, config: ServiceEnv): TypeOrmModuleOptions {
  const pool = pgPoolOptions(def.name, config);
  return {
    type: 'postgres',
    url: pool.connectionString,
    applicationName: pool.application_name,
    entities: def.entities,
    migrations: [...PLATFORM_MIGRATIONS, ...def.migrations],
    migrationsRun: config.DB_MIGRATIONS !== 'skip',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    connectTimeoutMS: pool.connectionTimeoutMillis,
    extra: {
      max: pool.max,
      ...(pool.idle_in_transaction_session_timeout ? { idle_in_transaction_session_timeout: pool.idle_in_transaction_session_timeout } : {}),
      ...(pool.Client ? { Client: pool.Client } : {}),
    },
    // Fail start-up within seconds when the database is missing; the orchestrator restarts us.
    retryAttempts: 3,
    retryDelay: 1_000,
  };
}

/** Creates and connects the service's data source, then applies its migrations (under a lock) when `options.migrationsRun`. */
export async function createServiceDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  if (options.migrationsRun) {
    try {
      await runMigrationsLocked(dataSource, (options as { applicationName?: string }).applicationName ?? 'service');
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
  }
  return dataSource;
}
