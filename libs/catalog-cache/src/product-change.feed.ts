import { PRODUCT_CHANGED, validatePayload } from '@omni/contracts';
import { CE, CONSUMER_MAX_WAIT_MS, DeadLetterWriter, errorMessage, headersToStrings, TopicAdmin, TopicNames, type MessagingLogger } from '@omni/messaging';
import { Partitioners, type Admin, type Consumer, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { ProductState } from './catalog-cache.store';

/** Attempts at reading the topic's end offsets (about 4.5 s in all) before start fails. */
const OFFSET_ATTEMPTS = 10;

/** Settings of the product-changed feed. */
export interface ProductChangeFeedOptions {
  kafka: Kafka;
  /** Consumer group; unique per cache instance, since every instance needs every partition. */
  groupId: string;
  topics: TopicNames;
  logger: MessagingLogger;
  /**
   * Longest a fetch waits for new data, in ms (default CONSUMER_MAX_WAIT_MS). The broker answers as
   * soon as a delta arrives, so this sets how often an idle cache asks, not how late it sees a delta.
   */
  maxWaitTimeInMs?: number;
  /** Called when the consumer crashed for good (kafkajs will not restart it): deltas stop arriving. */
  onFailed?: (error: string) => void;
}

/**
 * Reads product-changed from the offsets the topic had when `start` was called, validating each
 * event like any consumer. Starting from offsets captured before the full export guarantees that
 * every write the export missed arrives as a delta; nothing is committed, as a restarted cache
 * reloads anyway. An event it cannot read (not product-changed, bad JSON, an invalid payload) goes
 * to product-changed.dlq with the reason and this instance's group, like every consumer's, and the
 * feed moves on: a cache cannot repair it.
 */
export class ProductChangeFeed {
  private consumer?: Consumer;
  private admin?: Admin;
  private producer?: Producer;
  private deadLetters?: DeadLetterWriter;
  private readonly stopSignal = new AbortController();
  private stopped = false;
  private readonly topic: string;

  constructor(private readonly options: ProductChangeFeedOptions) {
    this.topic = options.topics.physical(PRODUCT_CHANGED.topic);
  }

  /** Captures the topic's end offsets, then consumes from them, handing each valid delta to `sink`. */
  async start(sink: (state: ProductState) => void): Promise<void> {
    // A host may start before catalog ever did: create the topic as catalog would, then read its ends.
    const topicAdmin = new TopicAdmin(this.options.kafka, this.options.topics);
    try {
      await topicAdmin.ensureTopics([PRODUCT_CHANGED], { includeDlq: true });
    } finally {
      await topicAdmin.close();
    }
    this.admin = this.options.kafka.admin();
    await this.admin.connect();
    const offsets = await this.endOffsets(this.admin);
    await this.admin.disconnect();
    this.admin = undefined;
    if (this.stopped) return;
    const producer = this.options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
    this.producer = producer;
    this.deadLetters = new DeadLetterWriter({ producer, groupId: this.options.groupId, logger: this.options.logger, stopSignal: this.stopSignal.signal });
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? CONSUMER_MAX_WAIT_MS,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.options.logger.error('catalog cache consumer crashed', { error: errorMessage(payload.error), restart: payload.restart });
      if (!payload.restart && !this.stopped) this.options.onFailed?.(errorMessage(payload.error));
    });
    let seeked = false;
    // GROUP_JOIN fires inside run(), before the first fetch, so the first fetch already reads from the captured offsets.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (seeked) return;
      seeked = true;
      for (const { partition, high } of offsets) consumer.seek({ topic: this.topic, partition, offset: high });
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message, partition }) => {
        const decoded = this.decode(message);
        if ('state' in decoded) sink(decoded.state);
        else await this.deadLetters!.park(this.topic, partition, message, decoded.reason);
      },
    });
  }

  /** The topic's end offsets; a topic created a moment ago may not have its leaders known yet, so retry briefly. */
  private async endOffsets(admin: Admin): Promise<{ partition: number; high: string }[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await admin.fetchTopicOffsets(this.topic);
      } catch (error) {
        if (attempt >= OFFSET_ATTEMPTS || this.stopped) throw error;
        this.options.logger.warn('catalog cache could not read end offsets yet; retrying', { topic: this.topic, attempt, error: errorMessage(error) });
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  /** Stops consuming and disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal.abort();
    await this.admin?.disconnect().catch(() => undefined);
    await this.consumer?.disconnect().catch((error: unknown) => this.options.logger.warn('catalog cache consumer did not stop cleanly', { error: errorMessage(error) }));
    await this.producer?.disconnect().catch(() => undefined);
  }

  /** The delta a message carries, or why it carries none. */
  private decode(message: KafkaMessage): { state: ProductState } | { reason: string } {
    const headers = headersToStrings(message.headers as Record<string, unknown> | undefined);
    if (headers[CE.type] !== PRODUCT_CHANGED.type) return { reason: `unexpected ${CE.type} ${headers[CE.type] ?? '(none)'} on ${PRODUCT_CHANGED.topic}` };
    if (!message.value || message.value.length === 0) return { reason: 'empty message value' };
    let raw: unknown;
    try {
      raw = JSON.parse(message.value.toString('utf8'));
    } catch (error) {
      return { reason: `invalid JSON: ${errorMessage(error)}` };
    }
    const checked = validatePayload(PRODUCT_CHANGED, raw);
    if (!checked.ok) return { reason: checked.errors.join('; ') };
    const event = checked.value;
    if (event.op === 'deleted') return { state: { productId: event.productId, version: event.version, op: 'deleted' } };
    return { state: { productId: event.productId, version: event.version, op: 'upserted', product: event.product! } };
  }
}
