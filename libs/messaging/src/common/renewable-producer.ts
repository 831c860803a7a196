import { Kafka, Partitioners, Producer, ProducerBatch, ProducerRecord, RecordMetadata } from 'kafkajs';
import { errorMessage } from './errors';
import type { MessagingLogger } from './observability';

/**
 * Errors after which an idempotent producer's own state is wrong, not the broker's reachability: a
 * broker that restarted can answer every later send of the old producer id with one of these, for
 * ever. Only a new producer (a new producer id) gets past them.
 */
const PRODUCER_STATE_ERRORS = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING', 'DUPLICATE_SEQUENCE_NUMBER']);

/** Consecutive failed sends after which the producer is replaced even without such an error. */
export const PRODUCER_RENEW_AFTER_FAILURES = 5;

function producerStateError(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && PRODUCER_STATE_ERRORS.has(type)) return type;
  }
  return undefined;
}

/**
 * An idempotent producer (acks=all, one request in flight) that replaces itself when it is stuck:
 * after an error about its own sequence or id, or after PRODUCER_RENEW_AFTER_FAILURES failed sends
 * in a row. A record the old producer may have written is written again by the new one: a
 * duplicate on the wire, which every consumer's inbox absorbs.
 */
export class RenewableProducer {
  private producer: Producer;
  private failures = 0;
  private connected = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: MessagingLogger,
    private readonly name: string,
  ) {
    this.producer = this.create();
  }

  /** Connects the current producer. */
  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  /** Disconnects the current producer. */
  async disconnect(): Promise<void> {
    this.connected = false;
    await this.producer.disconnect();
  }

  /** `Producer.send`, renewing the producer when it is stuck. */
  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    return this.track(() => this.producer.send(record));
  }

  /** `Producer.sendBatch`, renewing the producer when it is stuck. */
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    return this.track(() => this.producer.sendBatch(batch));
  }

  private async track(send: () => Promise<RecordMetadata[]>): Promise<RecordMetadata[]> {
    try {
      const result = await send();
      this.failures = 0;
      return result;
    } catch (error) {
      this.failures += 1;
      const stateError = producerStateError(error);
      if (stateError || this.failures >= PRODUCER_RENEW_AFTER_FAILURES) await this.renew(stateError ?? `${this.failures} failed sends in a row`, error);
      throw error;
    }
  }

  private async renew(why: string, error: unknown): Promise<void> {
    this.logger.warn('kafka producer replaced', { producer: this.name, why, error: errorMessage(error) });
    const old = this.producer;
    this.producer = this.create();
    this.failures = 0;
    await old.disconnect().catch(() => undefined);
    // kafkajs connects a producer on its first send as well; connecting now keeps start-up errors visible.
    if (this.connected) await this.producer.connect().catch(() => undefined);
  }

  private create(): Producer {
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  }
}
