import { defineEvent } from '@omni/contracts';
import { IsInt, IsNotEmpty, IsString, Min } from 'class-validator';
import { Kafka, KafkaMessage, Partitioners, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { createTestDatabase, TestDatabase, testInfra, uniqueId, uniqueTopicPrefix, waitFor } from '@omni/testing';
import { headersToStrings } from '../src/common/cloud-events';
import { createKafka } from '../src/common/kafka-client';
import { ensureMessagingSchema } from '../src/common/messaging-schema';
import { silentLogger } from '../src/common/observability';
import { TopicNames } from '../src/common/topic-names';
import { TopicAdmin } from '../src/topics/topic-admin';

/** A tiny payload for messaging tests: add `amount` to counter `counterId`. */
export class CounterBumpedEvent {
  @IsInt()
  @Min(1)
  schemaVersion: number;

  @IsString()
  @IsNotEmpty()
  counterId: string;

  @IsInt()
  @Min(1)
  amount: number;
}

/** Test-only contract with the same shape as the real ones. */
export const COUNTER_BUMPED = defineEvent<CounterBumpedEvent>({
  topic: 'counter-bumped',
  type: 'com.omniretail.messaging-test.counter-bumped.v1',
  version: 1,
  source: 'messaging-test',
  payload: CounterBumpedEvent,
  key: (p) => p.counterId,
  partitions: 3,
  summary: 'A test counter was bumped.',
});

/** Test-only reply contract: what a batch screen answers for a bump it refuses. */
export const COUNTER_REFUSED = defineEvent<CounterBumpedEvent>({
  topic: 'counter-refused',
  type: 'com.omniretail.messaging-test.counter-refused.v1',
  version: 1,
  source: 'messaging-test',
  payload: CounterBumpedEvent,
  key: (p) => p.counterId,
  partitions: 3,
  summary: 'A test bump was refused without being applied.',
});

/** A valid payload for counter `counterId`. */
export function bump(counterId: string, amount = 1): CounterBumpedEvent {
  return { schemaVersion: 1, counterId, amount };
}

/** A message read back from a topic, headers as strings. */
export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/** Number of messages currently on `topic` (sum over partitions of high - low watermark). */
export async function countMessages(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Reads every message on `topic` from the beginning with a fresh consumer group. */
export async function readTopic(kafka: Kafka, topic: string, { atLeast = 0, timeoutMs = 20_000 } = {}): Promise<ReadMessage[]> {
  const expected = await waitFor(
    async () => {
      const count = await countMessages(kafka, topic);
      return count >= atLeast ? count : undefined;
    },
    { timeoutMs, intervalMs: 100, what: `${atLeast} messages on ${topic}` },
  );
  if (expected === 0) return [];
  const consumer = kafka.consumer({ groupId: uniqueId('reader-'), maxWaitTimeInMs: 100 });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        messages.push(toRead(partition, message));
      },
    });
    await waitFor(() => messages.length >= expected, { timeoutMs, what: `reading ${expected} messages from ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return messages.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

function toRead(partition: number, message: KafkaMessage): ReadMessage {
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value: message.value?.toString('utf8') ?? null,
    headers: headersToStrings(message.headers as Record<string, unknown> | undefined),
  };
}

/** Valid CloudEvents headers for a raw test message of COUNTER_BUMPED. */
export function counterHeaders(id: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: id,
    ce_source: '/omni-retail/messaging-test',
    ce_type: COUNTER_BUMPED.type,
    ce_time: new Date().toISOString(),
    'content-type': 'application/json',
    ce_schemaversion: '1',
    ...extra,
  };
}

/** What a consumer suite works with: a database with the messaging tables and `counters`, the counter topic, a producer. */
export interface CounterTestBed {
  db: TestDatabase;
  pool: Pool;
  kafka: Kafka;
  topics: TopicNames;
  producer: Producer;
  /** The value of counter `id`, if it was ever bumped. */
  counter(id: string): Promise<number | undefined>;
  close(): Promise<void>;
}

/** Creates a database (messaging tables, `counters`, plus `extraDdl`), the COUNTER_BUMPED topic under a unique prefix, and a producer. */
export async function counterTestBed(label: string, extraDdl: string[] = []): Promise<CounterTestBed> {
  const db = await createTestDatabase(label);
  const pool = db.pool(4);
  await ensureMessagingSchema(pool);
  for (const ddl of ['CREATE TABLE counters (id text PRIMARY KEY, value int NOT NULL)', ...extraDdl]) await pool.query(ddl);
  const kafka = createKafka({ clientId: `${label}-spec`, brokers: testInfra.kafkaBrokers, logger: silentLogger });
  const topics = new TopicNames(uniqueTopicPrefix(label));
  const admin = new TopicAdmin(kafka, topics);
  await admin.ensureTopics([COUNTER_BUMPED]);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return {
    db,
    pool,
    kafka,
    topics,
    producer,
    counter: async (id) => (await pool.query('SELECT value FROM counters WHERE id = $1', [id])).rows[0]?.value as number | undefined,
    close: async () => {
      await producer.disconnect();
      await admin.close();
      await pool.end();
      await db.drop();
    },
  };
}
