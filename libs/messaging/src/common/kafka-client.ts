import { Kafka, KafkaConfig, logLevel, LogEntry } from 'kafkajs';
import { fixKafkajsIdleWakeups } from './kafkajs-idle.fix';
import { MessagingLogger, stderrLogger } from './observability';

/** SASL mechanisms our clients can authenticate with (Strimzi's KafkaUsers use scram-sha-512). */
export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
/** One of {@link KAFKA_SASL_MECHANISMS}. */
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/**
 * How a client proves who it is to the brokers and protects the connection: SASL credentials
 * and/or TLS. Omitted (or empty): plaintext without authentication, as the local broker runs.
 */
export interface KafkaSecurity {
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
  /** TLS to the brokers: `true` trusts the system's CAs; `ca` (PEM text) trusts only those. */
  tls?: boolean | { ca: string[] };
}

/** Settings for `createKafka`. */
export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  logger?: MessagingLogger;
  /** SASL and TLS of every connection this client opens (producers, consumers, admin alike). */
  security?: KafkaSecurity;
  /** Extra kafkajs settings (retry...). */
  config?: Partial<KafkaConfig>;
}

/** The kafkajs `sasl` and `ssl` settings of a {@link KafkaSecurity}; nothing for plaintext. */
export function kafkaSecurityConfig(security: KafkaSecurity | undefined): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  const config: Pick<KafkaConfig, 'sasl' | 'ssl'> = {};
  if (security?.tls) config.ssl = security.tls === true ? true : { ca: [...security.tls.ca] };
  const sasl = security?.sasl;
  if (sasl) {
    // Spelled out per mechanism: kafkajs types each one as its own literal.
    if (sasl.mechanism === 'plain') config.sasl = { mechanism: 'plain', username: sasl.username, password: sasl.password };
    else if (sasl.mechanism === 'scram-sha-256') config.sasl = { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password };
    else config.sasl = { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password };
  }
  return config;
}

/**
 * How every client of ours retries the broker. kafkajs doubles each wait up to `maxRetryTime`, and a
 * consumer that exhausts its retries crashes and restarts after its *last* wait: with the library's
 * 30 s cap, consumers came back 20-60 s after the broker did. Capping each wait at 2 s means that
 * once the broker answers again, producers and consumers are back within about 2 s, at the price of
 * one connection attempt every 2 s while it is gone.
 */
export const KAFKA_RETRY = Object.freeze({ initialRetryTime: 200, maxRetryTime: 2000, retries: 10, factor: 0.2, multiplier: 2 });

/**
 * Longest wait for one broker request (kafkajs defaults to 30 s). A frozen broker (SIGSTOP, a long
 * GC pause, a network partition) holds the connection open without answering; 10 s bounds how long
 * a request can hang before the retry above takes over.
 */
export const KAFKA_REQUEST_TIMEOUT_MS = 10_000;

/**
 * A kafkajs client whose warnings and errors go to the messaging logger as structured fields, and
 * whose every connection uses `security` (SASL, TLS). The one place our services make a client, so
 * also where kafkajs' idle timers are fixed (see kafkajs-idle.fix.ts).
 */
export function createKafka({ clientId, brokers, logger = stderrLogger, security, config }: KafkaClientOptions): Kafka {
  fixKafkajsIdleWakeups();
  return new Kafka({
    clientId,
    brokers,
    ...kafkaSecurityConfig(security),
    logLevel: logLevel.WARN,
    retry: { ...KAFKA_RETRY },
    requestTimeout: KAFKA_REQUEST_TIMEOUT_MS,
    connectionTimeout: 3000,
    logCreator:
      () =>
      ({ level, namespace, log }: LogEntry) => {
        const { message, ...fields } = log;
        const entry = { kafkaNamespace: namespace, ...fields };
        if (level === logLevel.ERROR) logger.error(`kafka: ${message}`, entry);
        else if (level === logLevel.WARN) logger.warn(`kafka: ${message}`, entry);
      },
    ...config,
  });
}
