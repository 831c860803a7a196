import { Pool, type PoolConfig } from 'pg';
import type { ServiceEnv } from '../config/service-env';
import { CountingClient, PreparedStatementClient } from './prepared-statement.client';

/** How long a new connection may take before start-up (or a request) fails. */
export const DB_CONNECT_TIMEOUT_MS = 3_000;

/**
 * The pg pool settings of a service's database: DATABASE_URL, DB_POOL_SIZE connections named after
 * the service, the bound on a connection left idle inside a transaction
 * (DB_IDLE_IN_TRANSACTION_TIMEOUT_MS, sent as a start-up parameter; 0 leaves the server's own), and
 * the prepared-statement client unless DB_PREPARED_STATEMENTS is false (either counts the statements it sends). TypeORM's connection and any
 * pool a service owns beside it take them from here, so the two never drift.
 */
export function pgPoolOptions(service: string, env: ServiceEnv): PoolConfig {
  return {
    connectionString: env.DATABASE_URL,
    application_name: service,
    max: env.DB_POOL_SIZE,
    connectionTimeoutMillis: DB_CONNECT_TIMEOUT_MS,
    ...(env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS > 0 ? { idle_in_transaction_session_timeout: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS } : {}),
    Client: env.DB_PREPARED_STATEMENTS ? PreparedStatementClient : CountingClient,
  };
}

/** A pg pool of the service's own (for SQL below TypeORM), on the settings of `pgPoolOptions`; its owner ends it on shutdown. */
export function createPgPool(service: string, env: ServiceEnv): Pool {
  return new Pool(pgPoolOptions(service, env));
}
