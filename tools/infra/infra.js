'use strict';
/**
 * Local infrastructure for development and integration tests: Kafka (run from Maven-fetched jars),
 * Postgres (one database per service) and Redis. `up` reuses whatever already answers, so it is
 * cheap to call before every test run. Used by `npm run infra:*` and by the jest global setup.
 */
const settingsModule = require('./lib/settings');
const { PrerequisiteError, messages, parseJavaMajor, requireJava, requireMaven } = require('./lib/checks');
const { serverProperties, log4jProperties, brokerCommand } = require('./lib/kafka-config');
const { ensureBroker, stopBroker, brokerStatus, randomClusterId } = require('./lib/kafka');
const { ensureDatabases, listDatabases, pingRedis } = require('./lib/stores');

const { resolveSettings } = settingsModule;

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

/**
 * Brings Postgres databases, Redis and Kafka to a usable state. Throws a PrerequisiteError that
 * says what is missing and how to get it when something cannot be provided.
 */
async function up({ quiet = false } = {}) {
  const log = quiet ? () => undefined : (line) => console.log(`[infra] ${line}`);
  const settings = resolveSettings();
  const started = Date.now();

  const t0 = Date.now();
  const [databases] = await Promise.all([
    ensureDatabases(settings.postgres.adminUrl, settings.postgres.databases),
    pingRedis(settings.redis.url),
  ]);
  const storesMs = Date.now() - t0;
  log(
    databases.created.length > 0
      ? `postgres: created ${databases.created.join(', ')}; ${databases.existing.length} already existed`
      : `postgres: all ${databases.existing.length} service databases exist`,
  );
  log(`redis: PONG from ${settings.redis.url}`);

  const t1 = Date.now();
  const kafka = await ensureBroker(settings.kafka, log);
  const kafkaMs = Date.now() - t1;
  const where = `${settings.kafka.host}:${settings.kafka.port}`;
  log(
    kafka.action === 'reused'
      ? `kafka: reused the broker already answering on ${where}`
      : `kafka: started on ${where} (pid ${kafka.pid}${kafka.fetchedJars ? ', fetched jars' : ''}` +
          `${kafka.formatted ? ', formatted storage' : ''}) in ${seconds(kafkaMs)}`,
  );
  const totalMs = Date.now() - started;
  log(`up in ${seconds(totalMs)} (postgres+redis ${seconds(storesMs)}, kafka ${seconds(kafkaMs)})`);
  return { databases, kafka: { ...kafka, ms: kafkaMs }, storesMs, totalMs };
}

/** Stops the Kafka broker this tool started; Postgres and Redis are system services and stay up. */
async function down({ quiet = false } = {}) {
  const log = quiet ? () => undefined : (line) => console.log(`[infra] ${line}`);
  const settings = resolveSettings();
  const started = Date.now();
  const result = await stopBroker(settings.kafka);
  const where = `${settings.kafka.host}:${settings.kafka.port}`;
  if (result.action === 'none') log(`kafka: nothing stopped on ${where}: ${result.reason}`);
  else log(`kafka: ${result.action} pid ${result.pid} on ${where} in ${seconds(Date.now() - started)}`);
  log('postgres and redis are system services: left running');
  return result;
}

async function settle(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Reports each component's state without changing anything. */
async function status({ quiet = false } = {}) {
  const log = quiet ? () => undefined : (line) => console.log(line);
  const settings = resolveSettings();
  const [kafka, databases, redis] = await Promise.all([
    brokerStatus(settings.kafka),
    settle(listDatabases(settings.postgres.adminUrl, settings.postgres.databases)),
    settle(pingRedis(settings.redis.url)),
  ]);
  const where = `${settings.kafka.host}:${settings.kafka.port}`;
  const owner = kafka.managedPid ? `started by infra, pid ${kafka.managedPid}` : 'not started by infra';
  const kafkaLine =
    kafka.state === 'up'
      ? `up on ${where}, cluster ${kafka.clusterId} (${owner})`
      : kafka.state === 'down'
        ? `down on ${where}`
        : `not answering on ${where}: ${kafka.reason} (${owner})`;
  log(`kafka     ${kafkaLine}; jars ${kafka.jarsReady ? 'cached' : 'not fetched'} in ${settings.kafka.libsDir}`);
  if (databases.ok) {
    const missing = settings.postgres.databases.filter((name) => !databases.value.includes(name));
    log(`postgres  up; ${missing.length === 0 ? 'all service databases exist' : `missing ${missing.join(', ')}`}`);
  } else {
    log(`postgres  ${databases.error}`);
  }
  log(`redis     ${redis.ok ? `up (${settings.redis.url})` : redis.error}`);
  return { kafka, postgres: databases, redis };
}

module.exports = {
  up,
  down,
  status,
  resolveSettings,
  KAFKA_VERSION: settingsModule.KAFKA_VERSION,
  DEFAULT_PORTS: settingsModule.DEFAULT_PORTS,
  APP_PORTS: settingsModule.APP_PORTS,
  SERVICE_DATABASES: settingsModule.SERVICE_DATABASES,
  PrerequisiteError,
  messages,
  parseJavaMajor,
  requireJava,
  requireMaven,
  serverProperties,
  log4jProperties,
  brokerCommand,
  randomClusterId,
  ensureBroker,
  stopBroker,
};
