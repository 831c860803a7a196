import { Kafka, KafkaConfig, logLevel, LogEntry } from 'kafkajs';
import { MessagingLogger, stderrLogger } from './observability';

/** Settings for `createKafka`. */
export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  logger?: MessagingLogger;
  /** Extra kafkajs settings (ssl, sasl, retry...). */
  config?: Partial<KafkaConfig>;
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

/** A kafkajs client whose warnings and errors go to the messaging logger as structured fields. */
export function createKafka({ clientId, brokers, logger = stderrLogger, config }: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId,
    brokers,
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
