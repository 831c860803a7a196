import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { APP_PORTS, SERVICE_DATABASES } from '../tools/infra/infra';
import { ConfigError, loadConfig } from '@omni/platform';
import { appEnvClass, declaredDefaultPort, deployedApps, interpolateDefaults, orderPlaceAnswerBoundMs, repoRoot, requiredAppEnv } from './deploy-test.helpers';

/** What an operator supplies for the `${VAR:?…}` values compose refuses to start without. */
const operatorEnv: Record<string, string> = {
  STAFF_JWT_SECRET: 'an-operator-chosen-staff-token-secret-0123456789',
  MEMBER_JWT_SECRET: 'an-operator-chosen-member-token-secret-0123456789',
  ORDER_PAYMENT_SECRET: 'an-operator-chosen-payment-secret',
  MEMBER_PII_SECRET: 'an-operator-chosen-member-pii-secret-0123456789',
  SERVICE_AUTH_KEY: 'an-operator-chosen-service-auth-key-0123456789',
};

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> | string[] };
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  ports?: (string | number)[];
  volumes?: string[];
}

const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;
const apps = deployedApps();

function envOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  const pairs = Array.isArray(env)
    ? env.map((line): [string, string] => [line.split('=')[0], line.slice(line.indexOf('=') + 1)])
    : Object.entries(env).map(([key, value]): [string, string] => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(pairs.map(([key, value]) => [key, interpolateDefaults(value, operatorEnv)]));
}

function buildArgs(service: ComposeService): Record<string, string> {
  const build = service.build;
  if (typeof build !== 'object' || build.args === undefined) return {};
  if (!Array.isArray(build.args)) return Object.fromEntries(Object.entries(build.args).map(([k, v]) => [k, String(v)]));
  return Object.fromEntries(build.args.map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)]));
}

function dependsOn(service: ComposeService): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  return Array.isArray(deps)
    ? Object.fromEntries(deps.map((name) => [name, undefined]))
    : Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep?.condition]));
}

function healthcheckText(service: ComposeService): string {
  const test = service.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

describe('docker-compose.yml', () => {
  it('covers the seven apps at least', () => {
    expect(apps).toEqual(expect.arrayContaining(['gateway', 'catalog', 'inventory', 'order', 'pricing', 'member', 'o2o-connector']));
  });

  describe.each(apps)('%s', (app) => {
    const service = services[app];
    const env = service ? envOf(service) : {};

    it('is built from the root Dockerfile with APP set to the app', () => {
      expect(service).toBeDefined();
      expect(typeof service.build).toBe('object');
      const build = service.build as { context?: string; dockerfile?: string };
      expect(path.resolve(repoRoot, build.context ?? '.')).toBe(repoRoot);
      expect(build.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      expect(buildArgs(service).APP).toBe(app);
      expect(existsSync(path.join(repoRoot, 'Dockerfile'))).toBe(true);
    });

    it("listens on the app's port", () => {
      expect(APP_PORTS[app]).toBeDefined();
      expect(env.PORT).toBe(String(APP_PORTS[app]));
      const declared = declaredDefaultPort(app);
      if (declared !== null) expect(declared).toBe(APP_PORTS[app]);
    });

    it('sets every variable the config requires in production', () => {
      for (const variable of requiredAppEnv) {
        expect({ variable, value: env[variable] ?? '' }).toEqual({ variable, value: expect.stringMatching(/\S/) });
      }
      expect(env.NODE_ENV).toBe('production');
    });

    it("passes the app's own config validation in production", () => {
      let problems: readonly unknown[] = [];
      try {
        loadConfig(appEnvClass(app), env, { service: app, defaultPort: APP_PORTS[app] });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems = error.problems;
      }
      expect(problems).toEqual([]);
    });

    it('uses its own database on the compose Postgres, the compose Redis and the internal Kafka listener', () => {
      const url = new URL(env.DATABASE_URL);
      expect(url.hostname).toBe('postgres');
      expect(url.pathname).toBe(`/${SERVICE_DATABASES[app]}`);
      expect(new URL(env.REDIS_URL).hostname).toBe('redis');
      const kafkaEnv = envOf(services.kafka);
      const advertised = kafkaEnv.KAFKA_ADVERTISED_LISTENERS.split(',').map((l) => l.replace(/^\w+:\/\//, ''));
      for (const broker of env.KAFKA_BROKERS.split(',')) {
        expect(advertised).toContain(broker);
        expect(broker.startsWith('kafka:')).toBe(true);
      }
    });

    it('starts after Kafka, Postgres and Redis are healthy, and checks its own liveness', () => {
      const deps = dependsOn(service);
      for (const infra of ['kafka', 'postgres', 'redis']) expect({ infra, condition: deps[infra] }).toEqual({ infra, condition: 'service_healthy' });
      expect(healthcheckText(service)).toContain(`:${APP_PORTS[app]}/health/live`);
    });
  });

  it("gives the gateway longer to place an order than the order service takes to answer (its decision wait, routing and database waits)", () => {
    const settings = (app: string) => loadConfig(appEnvClass(app), envOf(services[app]), { service: app, defaultPort: APP_PORTS[app] }) as unknown as Record<string, number>;
    const order = settings('order') as { ORDER_ROUTING_TIMEOUT_MS: number; ORDER_DECISION_WAIT_MS: number };
    expect(settings('gateway').ORDER_PLACE_TIMEOUT_MS).toBeGreaterThan(orderPlaceAnswerBoundMs(order));
  });

  it('gives every app a distinct database', () => {
    const names = apps.map((app) => new URL(envOf(services[app]).DATABASE_URL).pathname);
    expect(new Set(names).size).toBe(apps.length);
  });

  it('creates on first start exactly the databases tools/infra creates locally', () => {
    const mount = (services.postgres.volumes ?? []).find((v) => v.includes('/docker-entrypoint-initdb.d/'));
    expect(mount).toBeDefined();
    const script = readFileSync(path.resolve(repoRoot, mount!.split(':')[0]), 'utf8');
    const created = [...script.matchAll(/CREATE DATABASE\s+"?(\w+)"?/gi)].map((m) => m[1]).sort();
    expect(created).toEqual(Object.values(SERVICE_DATABASES).sort());
  });

  it('runs the infrastructure with healthchecks on the same Kafka version and ports as tools/infra', () => {
    expect(services.kafka.image).toBe('apache/kafka:3.9.1');
    expect(services.postgres.image).toMatch(/^postgres:16/);
    expect(services.redis.image).toMatch(/^redis:7/);
    for (const infra of ['kafka', 'postgres', 'redis']) expect(healthcheckText(services[infra])).not.toBe('');
    const kafkaEnv = envOf(services.kafka);
    expect(kafkaEnv.KAFKA_ADVERTISED_LISTENERS.split(',')).toContain('EXTERNAL://localhost:9092');
    expect(services.kafka.ports?.map(String)).toContain('9092:9092');
    expect(kafkaEnv.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(kafkaEnv.KAFKA_PROCESS_ROLES).toBe('broker,controller');
  });

  it('publishes the gateway to the host', () => {
    expect(services.gateway.ports?.map(String)).toContain(`${APP_PORTS.gateway}:${APP_PORTS.gateway}`);
  });
});
