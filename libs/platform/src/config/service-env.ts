import { KAFKA_SASL_MECHANISMS, type KafkaSaslMechanism } from '@omni/messaging';
import { Transform, type TransformFnParams } from 'class-transformer';
import { ArrayNotEmpty, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';
import { DEV_SERVICE_AUTH_KEY, MIN_SERVICE_AUTH_KEY_LENGTH } from '../service-auth/service-token';

/** Node environments a service knows; only `production` turns off the local defaults. */
export const NODE_ENVS = ['development', 'test', 'production'] as const;
/** One of {@link NODE_ENVS}. */
export type NodeEnv = (typeof NODE_ENVS)[number];

/**
 * When the service applies its migrations: `run` at start-up (the default), `skip` (a deployment
 * applies them before the app starts), `only` (apply them, then exit: the deployment's migration step).
 */
export const DB_MIGRATION_MODES = ['run', 'skip', 'only'] as const;
/** One of {@link DB_MIGRATION_MODES}. */
export type DbMigrationMode = (typeof DB_MIGRATION_MODES)[number];

/** pino levels accepted in LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Turns an integer-looking env string into a number; anything else is left for the validator to reject. */
export function envInt({ value }: TransformFnParams): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
}

/** Splits a comma-separated env string into trimmed, non-empty items. */
export function envList({ value }: TransformFnParams): unknown {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0)
    : value;
}

/** Reads `true/false/1/0/yes/no` (any case); anything else is left for the validator to reject. */
export function envBool({ value }: TransformFnParams): unknown {
  if (typeof value !== 'string') return value;
  const normalised = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(normalised)) return true;
  if (['false', '0', 'no'].includes(normalised)) return false;
  return value;
}

/**
 * Environment every service reads. Apps with more variables extend this class; `loadConfig`
 * fills local defaults outside production and validates the result.
 */
export class ServiceEnv {
  /** development | test | production; production requires real infrastructure addresses. */
  @IsIn(NODE_ENVS, { message: `must be one of ${NODE_ENVS.join(', ')}` })
  NODE_ENV: NodeEnv = 'development';

  /** HTTP port; defaults to the service's own port. */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer between 0 and 65535' })
  @Min(0, { message: 'must be an integer between 0 and 65535' })
  @Max(65535, { message: 'must be an integer between 0 and 65535' })
  PORT: number;

  /** Postgres URL of the service's own database. */
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL: string;

  /** Redis URL. */
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL: string;

  /** Prefix put in front of every Redis key this service writes, so services and tests never collide. */
  @IsString({ message: 'must be a string' })
  REDIS_KEY_PREFIX = '';

  /** Kafka bootstrap brokers, comma-separated host:port. */
  @Transform(envList)
  @ArrayNotEmpty({ message: 'must list at least one host:port' })
  @Matches(/^[^\s:,/]+:\d{1,5}$/, { each: true, message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS: string[];

  /** Prefix put in front of every topic name (environment or test isolation); empty in a normal deployment. */
  @IsString({ message: 'must be a string' })
  KAFKA_TOPIC_PREFIX = '';

  /**
   * SASL mechanism the Kafka clients authenticate with (`scram-sha-512` for Strimzi's KafkaUsers);
   * unset: no authentication (the local broker). Setting it requires KAFKA_SASL_USERNAME and
   * KAFKA_SASL_PASSWORD; `plain` sends the password as it is, so production takes it only with KAFKA_SSL.
   */
  @IsOptional()
  @IsIn(KAFKA_SASL_MECHANISMS, { message: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')} (or empty for none)` })
  @ValidateBy({
    name: 'plainOnlyOverTls',
    validator: {
      validate: (mechanism: unknown, args) => mechanism !== 'plain' || (args?.object as ServiceEnv).NODE_ENV !== 'production' || (args?.object as ServiceEnv).KAFKA_SSL === true,
      defaultMessage: () => 'plain sends the password unencrypted: in production it needs KAFKA_SSL=true',
    },
  })
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;

  /** SASL user name (the KafkaUser's name); required with KAFKA_SASL_MECHANISM, refused without it. */
  @ValidateIf(saslCredentialInPlay)
  @ValidateBy(saslNeedsMechanism())
  @IsString({ message: 'is required when KAFKA_SASL_MECHANISM is set' })
  @MinLength(1, { message: 'is required when KAFKA_SASL_MECHANISM is set' })
  KAFKA_SASL_USERNAME?: string;

  /** SASL password (the `password` key of the KafkaUser's Secret); required with KAFKA_SASL_MECHANISM, refused without it. */
  @ValidateIf(saslCredentialInPlay)
  @ValidateBy(saslNeedsMechanism())
  @IsString({ message: 'is required when KAFKA_SASL_MECHANISM is set' })
  @MinLength(1, { message: 'is required when KAFKA_SASL_MECHANISM is set' })
  KAFKA_SASL_PASSWORD?: string;

  /** TLS to the Kafka brokers (Strimzi's `tls` listener); the system's CAs are trusted unless KAFKA_SSL_CA_FILE names others. */
  @Transform(envBool)
  @IsBoolean({ message: 'must be true or false' })
  KAFKA_SSL = false;

  /**
   * PEM file of the CA(s) the brokers' certificates are checked against (Strimzi's cluster CA); needs
   * KAFKA_SSL=true. Read when the Kafka clients are made (kafkaSecurityOf), which names it if it cannot be read.
   */
  @IsOptional()
  @ValidateBy({
    name: 'caNeedsTls',
    validator: { validate: (_file: unknown, args) => (args?.object as ServiceEnv).KAFKA_SSL === true, defaultMessage: () => 'is set but KAFKA_SSL is not true' },
  })
  @IsString({ message: 'must be a file path' })
  KAFKA_SSL_CA_FILE?: string;

  /** pino log level. */
  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /**
   * A request answered below 400 is logged (at info) only when it took longer than this, ms;
   * faster ones are logged at debug. Requests answered 400 and above are always logged (warn, error).
   */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0, { message: 'must be 0 or more' })
  LOG_SLOW_REQUEST_MS = 1000;

  /**
   * Connections in the service's Postgres pool. HTTP requests, event handlers (one transaction
   * each, up to KAFKA_CONSUMER_CONCURRENCY at once) and background loops all draw from it.
   */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer between 1 and 200' })
  @Min(1, { message: 'must be an integer between 1 and 200' })
  @Max(200, { message: 'must be an integer between 1 and 200' })
  DB_POOL_SIZE = 10;

  /**
   * Statements with parameters run as prepared statements of their connection (see
   * PreparedStatementClient); false behind a pooler that cannot keep them (PgBouncer in transaction
   * mode before 1.21).
   */
  @Transform(envBool)
  @IsBoolean({ message: 'must be true or false' })
  DB_PREPARED_STATEMENTS = true;

  /**
   * How long a pooled connection may sit idle inside an open transaction before Postgres ends it,
   * ms (0: never). A replica that freezes (SIGSTOP, a stalled node, a long GC pause) in the middle
   * of a transaction otherwise keeps its row locks (a hot SKU's stock row, an order's saga row) and
   * stalls every other replica behind them for as long as it is frozen. No transaction of ours
   * waits on anything outside the database while it is open.
   */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer number of milliseconds between 0 and 3600000' })
  @Min(0, { message: 'must be an integer number of milliseconds between 0 and 3600000' })
  @Max(3_600_000, { message: 'must be an integer number of milliseconds between 0 and 3600000' })
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 5000;

  /**
   * Whether start-up applies pending migrations (`run`), leaves them to a migration step that ran
   * before (`skip`), or is that step (`only`: apply, then exit 0). They run under a Postgres
   * advisory lock, so replicas starting together never race.
   */
  @IsIn(DB_MIGRATION_MODES, { message: `must be one of ${DB_MIGRATION_MODES.join(', ')}` })
  DB_MIGRATIONS: DbMigrationMode = 'run';

  /**
   * Partitions each Kafka consumer handles at once. Order within a partition (hence per key)
   * always holds; more than one lets handlers of different keys overlap their database waits.
   */
  @Transform(envInt)
  @IsInt({ message: 'must be an integer between 1 and 64' })
  @Min(1, { message: 'must be an integer between 1 and 64' })
  @Max(64, { message: 'must be an integer between 1 and 64' })
  KAFKA_CONSUMER_CONCURRENCY = 1;

  /**
   * How long dedupe records (inbox rows, TCC barrier rows) are kept, in ms. They guard against a
   * message applied twice, so keep them longer than any redelivery: the topics' retention and every
   * TCC deadline. Default 14 days.
   */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds, at least 3600000 (one hour)' })
  @Min(3_600_000, { message: 'must be a whole number of milliseconds, at least 3600000 (one hour)' })
  DEDUP_RETENTION_MS = 14 * 86_400_000;

  /** How often expired dedupe records are deleted, in ms; 0 keeps them forever. Default 10 minutes. */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds (0 turns the sweep off)' })
  @Min(0, { message: 'must be a whole number of milliseconds (0 turns the sweep off)' })
  RETENTION_SWEEP_INTERVAL_MS = 600_000;

  /** How long a graceful shutdown may take before the process is forced to exit. */
  @Transform(envInt)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0, { message: 'must be a whole number of milliseconds' })
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /**
   * Keys of the service credentials every internal call carries (JWT HS256), comma-separated: the
   * first signs this service's calls, every one is accepted on its routes, so a key is rotated
   * without downtime (deploy/RUNBOOK.md). The same list in every service of an environment. Outside
   * production a development key is used when unset; production must set its own, each of at
   * least 32 characters.
   */
  @Transform(envList)
  @ArrayNotEmpty({ message: 'must list at least one key' })
  @Matches(/^[^\s,]+$/, { each: true, message: 'must be a comma-separated list of keys without spaces' })
  @ValidateBy({
    name: 'productionServiceAuthKeys',
    validator: {
      validate: (keys: unknown, args) =>
        (args?.object as ServiceEnv).NODE_ENV !== 'production' ||
        (Array.isArray(keys) && keys.every((key) => typeof key === 'string' && key.length >= MIN_SERVICE_AUTH_KEY_LENGTH && key !== DEV_SERVICE_AUTH_KEY)),
      defaultMessage: () => `must be set to production keys of at least ${MIN_SERVICE_AUTH_KEY_LENGTH} characters each (not the development key)`,
    },
  })
  SERVICE_AUTH_KEY: string[] = [DEV_SERVICE_AUTH_KEY];

  /** OTLP/HTTP collector endpoint; traces are exported only when set. */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
}

/** Validate a SASL credential when a mechanism is chosen (it is then required) or when it is given (it then needs a mechanism). */
function saslCredentialInPlay(env: ServiceEnv, value: unknown): boolean {
  return env.KAFKA_SASL_MECHANISM !== undefined || value !== undefined;
}

/** A SASL credential without a mechanism would be silently unused: refuse it, so a typo in the mechanism's name is seen. */
function saslNeedsMechanism(): Parameters<typeof ValidateBy>[0] {
  return {
    name: 'saslNeedsMechanism',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => (args?.object as ServiceEnv).KAFKA_SASL_MECHANISM !== undefined,
      defaultMessage: () => 'is set but KAFKA_SASL_MECHANISM is not',
    },
  };
}
