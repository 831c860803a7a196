import { readFileSync } from 'node:fs';
import type { KafkaSecurity } from '@omni/messaging';
import { ConfigError } from './load-config';
import type { ServiceEnv } from './service-env';

/**
 * The SASL and TLS settings of every Kafka client a service makes (its messaging module, the
 * gateway's catalog cache), from its validated environment: KAFKA_SASL_* and KAFKA_SSL*. Undefined
 * when neither is set (plaintext, the local broker). The CA file is read here, once, at start-up.
 */
export function kafkaSecurityOf(
  env: Pick<ServiceEnv, 'KAFKA_SASL_MECHANISM' | 'KAFKA_SASL_USERNAME' | 'KAFKA_SASL_PASSWORD' | 'KAFKA_SSL' | 'KAFKA_SSL_CA_FILE'>,
): KafkaSecurity | undefined {
  const security: KafkaSecurity = {};
  if (env.KAFKA_SSL) security.tls = env.KAFKA_SSL_CA_FILE ? { ca: [readCa(env.KAFKA_SSL_CA_FILE)] } : true;
  if (env.KAFKA_SASL_MECHANISM) {
    // loadConfig guarantees both with a mechanism; checked again for callers that build the env by hand.
    if (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD) throw new Error('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required when KAFKA_SASL_MECHANISM is set');
    security.sasl = { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD };
  }
  return security.tls || security.sasl ? security : undefined;
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ variable: 'KAFKA_SSL_CA_FILE', reason: `must name a readable PEM file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})` }]);
  }
}
