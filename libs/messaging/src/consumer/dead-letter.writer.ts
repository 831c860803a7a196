import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';
import type { RenewableProducer } from '../common/renewable-producer';
import { backoffDelay, sleep } from '../common/backoff';
import { DLQ_HEADERS } from '../common/cloud-events';
import { errorMessage } from '../common/errors';
import type { MessagingLogger, MessagingMetrics } from '../common/observability';
import { DLQ_SUFFIX } from '../common/topic-names';

/** Settings of a DeadLetterWriter. */
export interface DeadLetterWriterOptions {
  /** A connected producer (idempotent, acks=all). */
  producer: Pick<Producer, 'send'> | RenewableProducer;
  /** The consumer group that could not use the message (a header of every dead letter). */
  groupId: string;
  logger: MessagingLogger;
  metrics?: MessagingMetrics;
  /** Aborts the wait between retries; once aborted, a failed write throws instead of retrying. */
  stopSignal?: AbortSignal;
}

/** Bytes of the original value a truncated dead letter keeps (base64 in its value). */
export const DEAD_LETTER_HEAD_BYTES = 1024;

/**
 * Parks messages a consumer cannot use on `<topic>.dlq`, with the reason and the original
 * coordinates in headers: the one dead-letter rule of every consumer (the saga's, the projections',
 * the gateway's catalog cache).
 */
export class DeadLetterWriter {
  constructor(private readonly options: DeadLetterWriterOptions) {}

  /**
   * Parks `message`, retrying while the broker is unreachable (the caller never moves its offset
   * past a message that was not parked). A message the broker refuses as too large (the original
   * was close to the limit, and the reason headers push it over) is parked in what fits: the
   * CloudEvents headers, the reason, the coordinates, its size and the head of its value, so a
   * partition is never stuck behind it.
   */
  async park(topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> {
    const { producer, groupId, logger, metrics, stopSignal } = this.options;
    const coordinates: IHeaders = {
      [DLQ_HEADERS.reason]: reason.slice(0, 4000),
      [DLQ_HEADERS.originalTopic]: topic,
      [DLQ_HEADERS.originalPartition]: String(partition),
      [DLQ_HEADERS.originalOffset]: message.offset,
      [DLQ_HEADERS.consumerGroup]: groupId,
    };
    const headers: IHeaders = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = value;
    let letter = { key: message.key, value: message.value, headers: { ...headers, ...coordinates } };
    for (let attempt = 1; ; attempt++) {
      try {
        await producer.send({ topic: `${topic}${DLQ_SUFFIX}`, acks: -1, messages: [letter] });
        metrics?.deadLettered?.(topic, groupId);
        logger.warn('event dead-lettered', { topic, partition, offset: message.offset, group: groupId, reason, truncated: letter.value !== message.value });
        return;
      } catch (error) {
        if (isTooLarge(error) && letter.value === message.value) {
          letter = truncatedLetter(message, coordinates);
          logger.error('dead letter too large for the broker; parking its head only', { topic, offset: message.offset, size: message.value?.length ?? 0 });
          continue;
        }
        if (stopSignal?.aborted) throw error;
        logger.error('dead-letter write failed; retrying', { topic, error: errorMessage(error), attempt });
        await sleep(backoffDelay(attempt, 200, 5000), stopSignal);
      }
    }
  }
}

/** The broker refused the record as larger than it takes (kafkajs: MESSAGE_TOO_LARGE, or a record batch too large). */
function isTooLarge(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const type = (e as { type?: unknown }).type;
    if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') return true;
  }
  return false;
}

/** What of `message` fits in any broker's limit: CloudEvents and trace headers, the coordinates, and the head of the value. */
function truncatedLetter(message: KafkaMessage, coordinates: IHeaders): { key: Buffer | null; value: Buffer; headers: IHeaders } {
  const kept: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined && (name.startsWith('ce_') || name === 'traceparent') && Buffer.byteLength(String(value)) <= 1024) kept[name] = value;
  }
  const original = message.value ?? Buffer.alloc(0);
  const head = original.subarray(0, DEAD_LETTER_HEAD_BYTES).toString('base64');
  return {
    key: message.key,
    value: Buffer.from(JSON.stringify({ truncated: true, originalSize: original.length, headBase64: head })),
    headers: { ...kept, ...coordinates, [DLQ_HEADERS.truncated]: 'true', [DLQ_HEADERS.originalSize]: String(original.length) },
  };
}
