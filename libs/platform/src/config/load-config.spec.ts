import { IsString } from 'class-validator';
import { ConfigError, loadConfig, REQUIRED_PRODUCTION_ENV } from './load-config';
import { CountingClient, PreparedStatementClient } from '../database/prepared-statement.client';
import { typeOrmOptions } from '../database/typeorm.options';
import { DEV_SERVICE_AUTH_KEY } from '../service-auth/service-token';
import type { ServiceDefinition } from '../service-definition';
import { ServiceEnv } from './service-env';

const local = { service: 'o2o-connector', defaultPort: 3006 };
/** A service auth key as production would set it (at least 32 characters). */
const PRODUCTION_KEY = 'production-service-auth-key-0123456789';

function problemsOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the local infrastructure and the service port outside production', () => {
    const config = loadConfig(ServiceEnv, { NODE_ENV: 'development' }, local);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/omni_o2o_connector');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.PORT).toBe(3006);
    expect(config.REDIS_KEY_PREFIX).toBe('o2o-connector:');
    expect(config.SHUTDOWN_TIMEOUT_MS).toBe(10_000);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it('treats a missing NODE_ENV as development', () => {
    expect(loadConfig(ServiceEnv, {}, local).NODE_ENV).toBe('development');
  });

  it('converts numbers and comma lists, and keeps only declared variables', () => {
    const config = loadConfig(
      ServiceEnv,
      { NODE_ENV: 'test', PORT: '4000', KAFKA_BROKERS: ' k1:9092, k2:9093 ,', SHUTDOWN_TIMEOUT_MS: '2500', HOME: '/root' },
      local,
    );
    expect(config.PORT).toBe(4000);
    expect(config.KAFKA_BROKERS).toEqual(['k1:9092', 'k2:9093']);
    expect(config.SHUTDOWN_TIMEOUT_MS).toBe(2500);
    expect(config).not.toHaveProperty('HOME');
  });

  it('in production requires the database, Redis and Kafka addresses and the service auth key, naming each', () => {
    const error = problemsOf(() => loadConfig(ServiceEnv, { NODE_ENV: 'production' }, local));
    expect(error.problems.map((p) => p.variable)).toEqual(['DATABASE_URL', 'KAFKA_BROKERS', 'REDIS_URL', 'SERVICE_AUTH_KEY']);
    for (const variable of REQUIRED_PRODUCTION_ENV) {
      expect(error.message).toContain(`${variable} is required when NODE_ENV=production`);
    }
    expect(error.message).toContain('o2o-connector');
  });

  it('signs with the development service key outside production; in production takes only keys of 32 characters or more', () => {
    expect(loadConfig(ServiceEnv, { NODE_ENV: 'test' }, local).SERVICE_AUTH_KEY).toEqual([DEV_SERVICE_AUTH_KEY]);
    const rotating = loadConfig(ServiceEnv, { NODE_ENV: 'test', SERVICE_AUTH_KEY: ' new-key , old-key ,' }, local);
    expect(rotating.SERVICE_AUTH_KEY).toEqual(['new-key', 'old-key']);
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', REDIS_URL: 'redis://r:6379', KAFKA_BROKERS: 'k:9092' };
    expect(loadConfig(ServiceEnv, { ...production, SERVICE_AUTH_KEY: `${PRODUCTION_KEY},${PRODUCTION_KEY}-old` }, local).SERVICE_AUTH_KEY).toHaveLength(2);
    for (const bad of [`${PRODUCTION_KEY},short`, DEV_SERVICE_AUTH_KEY]) {
      const error = problemsOf(() => loadConfig(ServiceEnv, { ...production, SERVICE_AUTH_KEY: bad }, local));
      expect(error.problems).toEqual([{ variable: 'SERVICE_AUTH_KEY', reason: 'must be set to production keys of at least 32 characters each (not the development key)' }]);
      expect(error.message).not.toContain(bad);
    }
  });

  it('treats empty strings as unset', () => {
    const error = problemsOf(() => loadConfig(ServiceEnv, { NODE_ENV: 'production', DATABASE_URL: '  ', REDIS_URL: 'redis://r:6379', KAFKA_BROKERS: 'k:9092', SERVICE_AUTH_KEY: PRODUCTION_KEY }, local));
    expect(error.problems).toEqual([{ variable: 'DATABASE_URL', reason: 'is required when NODE_ENV=production' }]);
  });

  it('accepts a complete production environment', () => {
    const config = loadConfig(
      ServiceEnv,
      { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db:5432/omni_order', REDIS_URL: 'rediss://cache:6380', KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092', SERVICE_AUTH_KEY: PRODUCTION_KEY },
      local,
    );
    expect(config.DATABASE_URL).toBe('postgres://u:p@db:5432/omni_order');
    expect(config.KAFKA_BROKERS).toHaveLength(2);
  });

  it('reports every bad value at once, with the reason and without echoing values', () => {
    const error = problemsOf(() =>
      loadConfig(
        ServiceEnv,
        {
          NODE_ENV: 'staging',
          PORT: 'eighty',
          DATABASE_URL: 'mysql://secret@db/x',
          REDIS_URL: 'localhost:6379',
          KAFKA_BROKERS: 'kafka',
          LOG_LEVEL: 'loud',
          SHUTDOWN_TIMEOUT_MS: '-5',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        },
        local,
      ),
    );
    expect(Object.fromEntries(error.problems.map((p) => [p.variable, p.reason]))).toEqual({
      DATABASE_URL: 'must be a postgres:// URL',
      KAFKA_BROKERS: 'must be a comma-separated list of host:port',
      LOG_LEVEL: 'must be one of fatal, error, warn, info, debug, trace, silent',
      NODE_ENV: 'must be one of development, test, production',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'must be an http(s) URL',
      PORT: 'must be an integer between 0 and 65535',
      REDIS_URL: 'must be a redis:// or rediss:// URL',
      SHUTDOWN_TIMEOUT_MS: 'must be a whole number of milliseconds',
    });
    expect(error.message).not.toContain('secret');
  });

  it('validates the variables an app adds, and names a missing one', () => {
    class GatewayTestEnv extends ServiceEnv {
      @IsString({ message: 'must be a string' })
      JWT_SECRET: string;
    }
    const error = problemsOf(() => loadConfig(GatewayTestEnv, { NODE_ENV: 'test' }, local));
    expect(error.problems).toEqual([{ variable: 'JWT_SECRET', reason: 'is required' }]);
    expect(loadConfig(GatewayTestEnv, { NODE_ENV: 'test', JWT_SECRET: 's3cret' }, local).JWT_SECRET).toBe('s3cret');
  });

  it('sizes the database pool and the consumer lanes, validated; an app may change the defaults', () => {
    const defaults = loadConfig(ServiceEnv, { NODE_ENV: 'test' }, local);
    expect([defaults.DB_POOL_SIZE, defaults.KAFKA_CONSUMER_CONCURRENCY]).toEqual([10, 1]);
    const set = loadConfig(ServiceEnv, { NODE_ENV: 'test', DB_POOL_SIZE: '32', KAFKA_CONSUMER_CONCURRENCY: '4' }, local);
    expect([set.DB_POOL_SIZE, set.KAFKA_CONSUMER_CONCURRENCY]).toEqual([32, 4]);
    const error = problemsOf(() => loadConfig(ServiceEnv, { NODE_ENV: 'test', DB_POOL_SIZE: '0', KAFKA_CONSUMER_CONCURRENCY: 'many' }, local));
    expect(Object.fromEntries(error.problems.map((p) => [p.variable, p.reason]))).toEqual({
      DB_POOL_SIZE: 'must be an integer between 1 and 200',
      KAFKA_CONSUMER_CONCURRENCY: 'must be an integer between 1 and 64',
    });
    class BusyEnv extends ServiceEnv {
      override DB_POOL_SIZE = 20;
    }
    expect(loadConfig(BusyEnv, { NODE_ENV: 'test' }, local).DB_POOL_SIZE).toBe(20);
    expect(loadConfig(BusyEnv, { NODE_ENV: 'test', DB_POOL_SIZE: '5' }, local).DB_POOL_SIZE).toBe(5);
  });

  it('prepares statements unless DB_PREPARED_STATEMENTS is false, and gives the pool the preparing client only then', () => {
    const defaults = loadConfig(ServiceEnv, { NODE_ENV: 'test' }, local);
    expect(defaults.DB_PREPARED_STATEMENTS).toBe(true);
    const off = loadConfig(ServiceEnv, { NODE_ENV: 'test', DB_PREPARED_STATEMENTS: 'false' }, local);
    expect(off.DB_PREPARED_STATEMENTS).toBe(false);
    const def: ServiceDefinition = { name: 'svc', defaultPort: 1, entities: [], migrations: [] };
    const extraOf = (env: ServiceEnv) => (typeOrmOptions(def, env) as { extra: { max: number; Client?: unknown } }).extra;
    expect(extraOf(defaults)).toMatchObject({ max: 10, Client: PreparedStatementClient });
    expect(extraOf(off)).toMatchObject({ Client: CountingClient });
    const error = problemsOf(() => loadConfig(ServiceEnv, { NODE_ENV: 'test', DB_PREPARED_STATEMENTS: 'sometimes' }, local));
    expect(error.problems).toEqual([{ variable: 'DB_PREPARED_STATEMENTS', reason: 'must be true or false' }]);
  });

  it('bounds a pooled connection idle inside a transaction to 5 s unless set; 0 leaves the server default', () => {
    const def: ServiceDefinition = { name: 'svc', defaultPort: 1, entities: [], migrations: [] };
    const extraOf = (env: Record<string, string>) => (typeOrmOptions(def, loadConfig(ServiceEnv, { NODE_ENV: 'test', ...env }, local)) as { extra: Record<string, unknown> }).extra;
    expect(extraOf({})).toMatchObject({ idle_in_transaction_session_timeout: 5000 });
    expect(extraOf({ DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '2000' })).toMatchObject({ idle_in_transaction_session_timeout: 2000 });
    expect(extraOf({ DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0' })).not.toHaveProperty('idle_in_transaction_session_timeout');
    const error = problemsOf(() => loadConfig(ServiceEnv, { NODE_ENV: 'test', DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '-1' }, local));
    expect(error.problems).toEqual([{ variable: 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', reason: 'must be an integer number of milliseconds between 0 and 3600000' }]);
  });

  it('applies migrations at start-up unless DB_MIGRATIONS is skip; refuses an unknown mode', () => {
    const def: ServiceDefinition = { name: 'svc', defaultPort: 1, entities: [], migrations: [] };
    const runsOf = (value?: string) => {
      const env = loadConfig(ServiceEnv, { NODE_ENV: 'test', ...(value === undefined ? {} : { DB_MIGRATIONS: value }) }, local);
      return [env.DB_MIGRATIONS, (typeOrmOptions(def, env) as { migrationsRun: boolean }).migrationsRun];
    };
    expect(runsOf()).toEqual(['run', true]);
    expect(runsOf('only')).toEqual(['only', true]);
    expect(runsOf('skip')).toEqual(['skip', false]);
    const error = problemsOf(() => loadConfig(ServiceEnv, { NODE_ENV: 'test', DB_MIGRATIONS: 'later' }, local));
    expect(error.problems).toEqual([{ variable: 'DB_MIGRATIONS', reason: 'must be one of run, skip, only' }]);
  });

  it('keeps dedupe records 14 days and sweeps every 10 minutes unless set; refuses a retention under an hour', () => {
    const defaults = loadConfig(ServiceEnv, { NODE_ENV: 'test' }, local);
    expect([defaults.DEDUP_RETENTION_MS, defaults.RETENTION_SWEEP_INTERVAL_MS]).toEqual([1_209_600_000, 600_000]);
    const off = loadConfig(ServiceEnv, { NODE_ENV: 'test', DEDUP_RETENTION_MS: '86400000', RETENTION_SWEEP_INTERVAL_MS: '0' }, local);
    expect([off.DEDUP_RETENTION_MS, off.RETENTION_SWEEP_INTERVAL_MS]).toEqual([86_400_000, 0]);
    const error = problemsOf(() => loadConfig(ServiceEnv, { NODE_ENV: 'test', DEDUP_RETENTION_MS: '60000', RETENTION_SWEEP_INTERVAL_MS: '-1' }, local));
    expect(Object.fromEntries(error.problems.map((p) => [p.variable, p.reason]))).toEqual({
      DEDUP_RETENTION_MS: 'must be a whole number of milliseconds, at least 3600000 (one hour)',
      RETENTION_SWEEP_INTERVAL_MS: 'must be a whole number of milliseconds (0 turns the sweep off)',
    });
  });

  it('without local defaults, requires the addresses in any environment', () => {
    const error = problemsOf(() => loadConfig(ServiceEnv, { NODE_ENV: 'development' }));
    expect(error.problems.map((p) => p.variable)).toEqual(['DATABASE_URL', 'KAFKA_BROKERS', 'PORT', 'REDIS_URL']);
  });
});
