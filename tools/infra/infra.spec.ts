import * as path from 'node:path';
import {
  APP_PORTS,
  SERVICE_DATABASES,
  brokerCommand,
  log4jProperties,
  parseJavaMajor,
  randomClusterId,
  PrerequisiteError,
  requireJava,
  requireMaven,
  resolveSettings,
  serverProperties,
  type RunSync,
} from './infra';

const repoRoot = path.resolve(__dirname, '..', '..');

function parseProperties(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line): [string, string] => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    });
  const keys = entries.map(([key]) => key);
  expect(new Set(keys).size).toBe(keys.length); // a key given twice silently loses one value
  return new Map(entries);
}

const runReturning =
  (result: Partial<ReturnType<RunSync>>): RunSync =>
  () => ({ status: 0, stdout: '', stderr: '', ...result });

describe('infra settings', () => {
  it('defaults to the shared ports and the repo cache', () => {
    const settings = resolveSettings({});
    expect(settings.kafka.port).toBe(9092);
    expect(settings.kafka.controllerPort).toBe(9093);
    expect(settings.cacheDir).toBe(path.join(repoRoot, '.cache'));
    expect(settings.kafka.libsDir).toBe(path.join(repoRoot, '.cache', 'kafka', '3.9.1', 'libs'));
    expect(settings.kafka.propertiesFile).toBe(path.join(repoRoot, '.cache', 'kafka', 'server.properties'));
    expect(settings.kafka.logsDir).toBe(path.join(repoRoot, '.cache', 'kafka', 'logs'));
    expect(settings.postgres.adminUrl).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(settings.redis.url).toBe('redis://127.0.0.1:6379');
  });

  it('gives a broker on other ports its own data, logs and pid file but shares the jars', () => {
    const base = resolveSettings({ OMNI_INFRA_CACHE: '/tmp/x' });
    const other = resolveSettings({ OMNI_INFRA_CACHE: '/tmp/x', OMNI_KAFKA_PORT: '19092', OMNI_KAFKA_CONTROLLER_PORT: '19093' });
    expect(other.kafka.port).toBe(19092);
    expect(other.kafka.controllerPort).toBe(19093);
    expect(other.kafka.libsDir).toBe(base.kafka.libsDir);
    for (const key of ['dataDir', 'logsDir', 'pidFile', 'propertiesFile', 'lockFile'] as const) {
      expect(other.kafka[key]).not.toBe(base.kafka[key]);
      expect(other.kafka[key].startsWith('/tmp/x/kafka/')).toBe(true);
    }
  });

  it('rejects ports that are not ports, and a controller on the broker port', () => {
    expect(() => resolveSettings({ OMNI_KAFKA_PORT: 'abc' })).toThrow(/OMNI_KAFKA_PORT/);
    expect(() => resolveSettings({ OMNI_KAFKA_CONTROLLER_PORT: '70000' })).toThrow(/OMNI_KAFKA_CONTROLLER_PORT/);
    expect(() => resolveSettings({ OMNI_KAFKA_PORT: '9093' })).toThrow(/must differ/);
  });

  it('uses the test harness URLs when no OMNI_ override is given', () => {
    const settings = resolveSettings({ TEST_POSTGRES_URL: 'postgres://u@db:5433/postgres', TEST_REDIS_URL: 'redis://r:6380' });
    expect(settings.postgres.adminUrl).toBe('postgres://u@db:5433/postgres');
    expect(settings.redis.url).toBe('redis://r:6380');
  });

  it('names one distinct database per app', () => {
    expect(Object.keys(SERVICE_DATABASES).sort()).toEqual(Object.keys(APP_PORTS).sort());
    expect(SERVICE_DATABASES['o2o-connector']).toBe('omni_o2o_connector');
    expect(new Set(Object.values(SERVICE_DATABASES)).size).toBe(Object.keys(APP_PORTS).length);
    expect(resolveSettings({}).postgres.databases).toEqual(Object.values(SERVICE_DATABASES));
  });
});

describe('broker files', () => {
  const kafka = resolveSettings({ OMNI_INFRA_CACHE: '/tmp/c', OMNI_KAFKA_PORT: '19092', OMNI_KAFKA_CONTROLLER_PORT: '19093' }).kafka;

  it('configures one KRaft node on the chosen ports, without auto-created topics', () => {
    const props = parseProperties(serverProperties(kafka));
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:19093');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:19092');
    expect(props.get('log.dirs')).toBe(kafka.dataDir);
    expect(props.get('auto.create.topics.enable')).toBe('false');
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    for (const key of ['offsets.topic.replication.factor', 'transaction.state.log.replication.factor', 'default.replication.factor']) {
      expect(props.get(key)).toBe('1');
    }
    expect(Number(props.get('log.segment.bytes'))).toBeLessThanOrEqual(64 * 1024 * 1024);
  });

  it('makes cluster ids the storage tool accepts: 16 bytes in URL-safe base64, no leading dash', () => {
    const ids = Array.from({ length: 200 }, () => randomClusterId());
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sends logs to a file in the logs folder', () => {
    const props = parseProperties(log4jProperties(kafka.logsDir));
    expect(props.get('log4j.rootLogger')).toMatch(/^INFO, server$/);
    expect(props.get('log4j.appender.server.File')).toBe(`${kafka.logsDir}/server.log`);
  });

  it('runs kafka.Kafka from the copied jars with a bounded heap', () => {
    const { command, args } = brokerCommand(kafka);
    expect(command).toBe('java');
    expect(args).toEqual(expect.arrayContaining(['-Xms256m', '-Xmx1g', `${kafka.libsDir}/*`]));
    expect(args.slice(-2)).toEqual(['kafka.Kafka', kafka.propertiesFile]);
    expect(args).toContain(`-Dlog4j.configuration=file:${kafka.log4jFile}`);
  });
});

describe('prerequisites', () => {
  it('reads the Java major version, old and new style', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('java version "1.8.0_292"')).toBe(8);
    expect(parseJavaMajor('no java here')).toBeNull();
  });

  it('says how to install Java when it is missing or too old', () => {
    const missing = runReturning({ status: null, error: Object.assign(new Error('spawn java ENOENT'), { code: 'ENOENT' }) });
    expect(() => requireJava(missing)).toThrow(PrerequisiteError);
    expect(() => requireJava(missing)).toThrow('Java 17+ not found on PATH (needed to run the local Kafka broker): apt-get install openjdk-17-jre-headless');
    const old = runReturning({ stderr: 'openjdk version "11.0.2" 2019-01-15' });
    expect(() => requireJava(old)).toThrow(/Java 11 found but Kafka needs Java 17\+/);
    expect(requireJava(runReturning({ stderr: 'openjdk version "17.0.15" 2025-04-15' }))).toBe(17);
  });

  it('says how to install Maven when it is missing', () => {
    const missing = runReturning({ status: 127 });
    expect(() => requireMaven(missing)).toThrow('Maven not found on PATH (needed once to fetch the Kafka jars): apt-get install maven');
    expect(() => requireMaven(runReturning({ stdout: 'Apache Maven 3.8.7' }))).not.toThrow();
  });
});
