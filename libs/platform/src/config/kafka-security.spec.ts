import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaSecurityConfig } from '@omni/messaging';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { MetricsService } from '../metrics/metrics.service';
import { messagingOptions } from '../platform.module';
import type { ServiceDefinition } from '../service-definition';
import { kafkaSecurityOf } from './kafka-security';
import { ConfigError, loadConfig } from './load-config';
import { ServiceEnv } from './service-env';

const local = { service: 'inventory', defaultPort: 3002 };
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db/omni_inventory',
  REDIS_URL: 'redis://r:6379',
  KAFKA_BROKERS: 'omni-kafka-kafka-bootstrap.kafka.svc:9093',
  SERVICE_AUTH_KEY: 'production-service-auth-key-0123456789',
};

function reasonsOf(env: Record<string, string>): Record<string, string> {
  try {
    loadConfig(ServiceEnv, env, local);
  } catch (error) {
    if (error instanceof ConfigError) return Object.fromEntries(error.problems.map((p) => [p.variable, p.reason]));
    throw error;
  }
  return {};
}

describe('Kafka SASL and TLS settings (KAFKA_SASL_*, KAFKA_SSL*)', () => {
  const caDir = mkdtempSync(join(tmpdir(), 'kafka-ca-'));
  const caFile = join(caDir, 'ca.crt');
  writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

  it('leaves the clients on plaintext without authentication when nothing is set (the local broker)', () => {
    const env = loadConfig(ServiceEnv, { NODE_ENV: 'test' }, local);
    expect([env.KAFKA_SASL_MECHANISM, env.KAFKA_SSL]).toEqual([undefined, false]);
    expect(kafkaSecurityOf(env)).toBeUndefined();
    expect(kafkaSecurityConfig(kafkaSecurityOf(env))).toEqual({});
    // An empty mechanism is no mechanism, as every empty variable is unset.
    expect(kafkaSecurityOf(loadConfig(ServiceEnv, { NODE_ENV: 'test', KAFKA_SASL_MECHANISM: ' ' }, local))).toBeUndefined();
  });

  it('builds kafkajs sasl and ssl options from a Strimzi user over the TLS listener', () => {
    const env = loadConfig(ServiceEnv, { ...production, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'inventory', KAFKA_SASL_PASSWORD: 'pw-from-secret', KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: caFile }, local);
    expect(kafkaSecurityConfig(kafkaSecurityOf(env))).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'inventory', password: 'pw-from-secret' },
      ssl: { ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'] },
    });
  });

  it.each([
    ['scram-sha-256', { KAFKA_SSL: 'false' }, { sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' } }],
    ['plain', { KAFKA_SSL: 'yes' }, { sasl: { mechanism: 'plain', username: 'u', password: 'p' }, ssl: true }],
  ])('takes %s, with TLS trusting the system CAs when no CA file is named', (mechanism, tls, expected) => {
    const env = loadConfig(ServiceEnv, { NODE_ENV: 'test', KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', ...tls }, local);
    expect(kafkaSecurityConfig(kafkaSecurityOf(env))).toEqual(expected);
  });

  it('gives TLS alone (no SASL) when only KAFKA_SSL is set', () => {
    expect(kafkaSecurityConfig(kafkaSecurityOf(loadConfig(ServiceEnv, { NODE_ENV: 'test', KAFKA_SSL: '1' }, local)))).toEqual({ ssl: true });
  });

  it('requires the user name and password with a mechanism, naming each, and never echoes the password', () => {
    expect(reasonsOf({ ...production, KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toEqual({
      KAFKA_SASL_USERNAME: 'is required when KAFKA_SASL_MECHANISM is set',
      KAFKA_SASL_PASSWORD: 'is required when KAFKA_SASL_MECHANISM is set',
    });
    expect(reasonsOf({ ...production, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'inventory' })).toEqual({
      KAFKA_SASL_PASSWORD: 'is required when KAFKA_SASL_MECHANISM is set',
    });
  });

  it('refuses an unknown mechanism, credentials without a mechanism, and a bad KAFKA_SSL', () => {
    const reasons = reasonsOf({ NODE_ENV: 'test', KAFKA_SASL_MECHANISM: 'SCRAM-SHA-1', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'secret-pw', KAFKA_SSL: 'maybe' });
    expect(reasons).toEqual({
      KAFKA_SASL_MECHANISM: 'must be one of scram-sha-512, scram-sha-256, plain (or empty for none)',
      KAFKA_SSL: 'must be true or false',
    });
    expect(reasonsOf({ NODE_ENV: 'test', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'secret-pw' })).toEqual({
      KAFKA_SASL_USERNAME: 'is set but KAFKA_SASL_MECHANISM is not',
      KAFKA_SASL_PASSWORD: 'is set but KAFKA_SASL_MECHANISM is not',
    });
    expect(JSON.stringify(reasons)).not.toContain('secret-pw');
  });

  it('refuses a CA file without KAFKA_SSL, a CA file it cannot read (when the clients are made), and plain without TLS in production', () => {
    expect(reasonsOf({ NODE_ENV: 'test', KAFKA_SSL_CA_FILE: caFile })).toEqual({ KAFKA_SSL_CA_FILE: 'is set but KAFKA_SSL is not true' });
    const unreadable = loadConfig(ServiceEnv, { NODE_ENV: 'test', KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: join(caDir, 'missing.crt') }, local);
    expect(() => kafkaSecurityOf(unreadable)).toThrow('KAFKA_SSL_CA_FILE must name a readable PEM file (ENOENT)');
    const plain = { ...production, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' };
    expect(reasonsOf(plain)).toEqual({ KAFKA_SASL_MECHANISM: 'plain sends the password unencrypted: in production it needs KAFKA_SSL=true' });
    expect(reasonsOf({ ...plain, KAFKA_SSL: 'true' })).toEqual({});
  });

  it('hands the settings to the messaging module, the one Kafka client of a service', () => {
    const env = loadConfig(ServiceEnv, { NODE_ENV: 'test', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'order', KAFKA_SASL_PASSWORD: 'p', KAFKA_SSL: 'true' }, local);
    const def: ServiceDefinition = { name: 'order', defaultPort: 3003, entities: [], migrations: [] };
    const metrics = { registry: new Registry() } as unknown as MetricsService;
    const options = messagingOptions(def, env, { options: {} } as DataSource, metrics);
    expect(kafkaSecurityConfig(options.security)).toEqual({ sasl: { mechanism: 'scram-sha-512', username: 'order', password: 'p' }, ssl: true });
  });
});
