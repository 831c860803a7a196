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

/** A kafkajs client whose warnings and errors go to the messaging logger as structured fields. */
export function createKafka({ clientId, brokers, logger = stderrLogger, config }: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 100, retries: 8 },
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
