import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { ServiceEnv } from './service-env';

/** Variables a production deployment must set: there are no local defaults (addresses, the development service key) for them there. */
export const REQUIRED_PRODUCTION_ENV: readonly string[] = Object.freeze(['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS', 'SERVICE_AUTH_KEY']);

/** What the local (development/test) defaults are derived from. */
export interface ConfigDefaults {
  /** Service name, e.g. `o2o-connector`; gives the database `omni_o2o_connector`. */
  service: string;
  /** Port used when PORT is not set. */
  defaultPort: number;
}

/** One variable that is missing or wrong, and why. */
export interface ConfigProblem {
  variable: string;
  reason: string;
}

/** Thrown when the environment does not describe a runnable service; the message names every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly ConfigProblem[], service?: string) {
    super(
      `Invalid configuration${service ? ` for ${service}` : ''}:\n` +
        problems.map((p) => `  - ${p.variable} ${p.reason}`).join('\n'),
    );
  }
}

/** The database a service uses locally: `omni_<service with - replaced by _>`. */
export function localDatabaseName(service: string): string {
  return `omni_${service.replace(/-/g, '_')}`;
}

/** Local infrastructure defaults for development and test runs. */
export function localDefaults({ service, defaultPort }: ConfigDefaults): Record<string, string> {
  return {
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${localDatabaseName(service)}`,
    REDIS_URL: 'redis://127.0.0.1:6379',
    KAFKA_BROKERS: '127.0.0.1:9092',
    PORT: String(defaultPort),
  };
}

type EnvClass<T extends ServiceEnv> = new () => T;

/**
 * Reads and validates `EnvClass` from `env`. Outside production the local infrastructure is
 * assumed when a variable is unset; in production DATABASE_URL, REDIS_URL and KAFKA_BROKERS must
 * be given. Empty strings count as unset. Throws {@link ConfigError} naming every bad variable.
 */
export function loadConfig<T extends ServiceEnv>(
  EnvClass: EnvClass<T>,
  env: NodeJS.ProcessEnv = process.env,
  defaults?: ConfigDefaults,
): T {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') raw[key] = value;
  }
  const production = raw.NODE_ENV === 'production';
  const fallbacks: Record<string, string> = {};
  if (defaults) {
    fallbacks.PORT = String(defaults.defaultPort);
    fallbacks.REDIS_KEY_PREFIX = `${defaults.service}:`;
    if (!production) Object.assign(fallbacks, localDefaults(defaults));
  }
  if (raw.NODE_ENV === 'test') fallbacks.LOG_LEVEL = 'warn';
  const config = plainToInstance(EnvClass, { ...fallbacks, ...raw });
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const required = new Set(requiredProperties(EnvClass));
    const problems = errors.flatMap((error) => describe(error, raw, production, required));
    problems.sort((a, b) => a.variable.localeCompare(b.variable));
    throw new ConfigError(problems, defaults?.service);
  }
  return config;
}

function describe(error: ValidationError, raw: Record<string, string>, production: boolean, required: Set<string>): ConfigProblem[] {
  const variable = error.property;
  if (raw[variable] === undefined && required.has(variable)) {
    const why = production && REQUIRED_PRODUCTION_ENV.includes(variable) ? ' when NODE_ENV=production' : '';
    return [{ variable, reason: `is required${why}` }];
  }
  const reasons = [...new Set(Object.values(error.constraints ?? {}))].map((m) => m.replace(new RegExp(`^${variable} `), ''));
  return [{ variable, reason: reasons.join('; ') || 'is invalid' }];
}

/** Properties with validation rules and without @IsOptional: leaving them unset is an error. */
function requiredProperties(target: new () => ServiceEnv): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
  const optional = new Set(metadata.filter((m) => m.type === 'conditionalValidation').map((m) => m.propertyName));
  return [...new Set(metadata.map((m) => m.propertyName))].filter((p) => !optional.has(p));
}
