'use strict';
/**
 * Where the local infrastructure lives: ports, paths and the per-service databases. Pure data
 * derived from the environment, so it can be unit-tested and shared with the deploy checks.
 */
const path = require('node:path');

/** Repository root (tools/infra/lib -> repo). */
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The Kafka version the pom fetches; the jars live under a folder named after it. */
const KAFKA_VERSION = '3.9.1';

/** Default local ports of the shared dependencies. */
const DEFAULT_PORTS = Object.freeze({ kafka: 9092, kafkaController: 9093, postgres: 5432, redis: 6379 });

/** HTTP port of every app, locally and in containers. The single source for compose and k8s checks. */
const APP_PORTS = Object.freeze({
  gateway: 3000,
  catalog: 3001,
  inventory: 3002,
  order: 3003,
  pricing: 3004,
  member: 3005,
  'o2o-connector': 3006,
});

/** The database each app owns: `omni_<app>` with `-` written as `_`. */
const SERVICE_DATABASES = Object.freeze(
  Object.fromEntries(Object.keys(APP_PORTS).map((app) => [app, `omni_${app.replace(/-/g, '_')}`])),
);

function intFromEnv(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got "${raw}"`);
  }
  return value;
}

/**
 * Resolves every setting from the environment:
 * OMNI_INFRA_CACHE (default <repo>/.cache), OMNI_KAFKA_PORT, OMNI_KAFKA_CONTROLLER_PORT,
 * OMNI_POSTGRES_URL (falls back to TEST_POSTGRES_URL), OMNI_REDIS_URL (falls back to TEST_REDIS_URL),
 * OMNI_KAFKA_START_TIMEOUT_MS.
 */
function resolveSettings(env = process.env) {
  const cacheDir = path.resolve(env.OMNI_INFRA_CACHE || path.join(REPO_ROOT, '.cache'));
  const kafkaPort = intFromEnv(env, 'OMNI_KAFKA_PORT', DEFAULT_PORTS.kafka);
  const controllerPort = intFromEnv(env, 'OMNI_KAFKA_CONTROLLER_PORT', DEFAULT_PORTS.kafkaController);
  if (kafkaPort === controllerPort) throw new Error('OMNI_KAFKA_PORT and OMNI_KAFKA_CONTROLLER_PORT must differ');
  const kafkaRoot = path.join(cacheDir, 'kafka');
  // A broker on a non-default port gets its own folder so it never touches the default broker's data.
  const instanceDir = kafkaPort === DEFAULT_PORTS.kafka ? kafkaRoot : path.join(kafkaRoot, `port-${kafkaPort}`);
  const distDir = path.join(kafkaRoot, KAFKA_VERSION);
  return {
    repoRoot: REPO_ROOT,
    cacheDir,
    kafka: {
      host: '127.0.0.1',
      port: kafkaPort,
      controllerPort,
      version: KAFKA_VERSION,
      pomFile: path.join(REPO_ROOT, 'tools', 'infra', 'kafka', 'pom.xml'),
      libsDir: path.join(distDir, 'libs'),
      libsMarker: path.join(distDir, 'libs.complete'),
      instanceDir,
      dataDir: path.join(instanceDir, 'data'),
      logsDir: path.join(instanceDir, 'logs'),
      propertiesFile: path.join(instanceDir, 'server.properties'),
      log4jFile: path.join(instanceDir, 'log4j.properties'),
      pidFile: path.join(instanceDir, 'kafka.pid'),
      lockFile: path.join(instanceDir, 'kafka.start.lock'),
      startTimeoutMs: Number(env.OMNI_KAFKA_START_TIMEOUT_MS) || 90_000,
    },
    postgres: {
      adminUrl: env.OMNI_POSTGRES_URL || env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
      databases: Object.values(SERVICE_DATABASES),
    },
    redis: {
      url: env.OMNI_REDIS_URL || env.TEST_REDIS_URL || 'redis://127.0.0.1:6379',
    },
  };
}

module.exports = { REPO_ROOT, KAFKA_VERSION, DEFAULT_PORTS, APP_PORTS, SERVICE_DATABASES, resolveSettings };
